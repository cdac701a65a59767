package io.keshikaran.examples.browser;

import io.keshikaran.Classifier;
import io.keshikaran.cli.ExitCodes;
import io.keshikaran.cli.Main;
import io.keshikaran.examples.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's folder report opened from disk in a real headless Chromium. */
class ReportBrowserTest {
    private static final List<String> IMAGES = List.of("dog.jpg", "dog-german-shepherd.jpg", "cartoon-watermill.png",
            "cat-chelsea.png", "astronaut.png", "horses.jpg", "grace-hopper.jpg", "flower.jpg");

    @Test
    void blurredImagesUnblurWhenClicked(@TempDir Path dir, @TempDir Path outDir) throws Exception {
        List<Double> scores = new ArrayList<>();
        try (Classifier classifier = Classifier.builder().build()) {
            for (String name : IMAGES) {
                Path copy = Files.copy(Fixtures.image(name), dir.resolve(name));
                scores.add(classifier.classify(copy).score());
            }
        }
        Files.writeString(dir.resolve("broken.jpg"), "not a JPEG");
        scores.sort(Comparator.reverseOrder());
        // Between the third and fourth highest real scores: three images are blurred.
        double threshold = (scores.get(2) + scores.get(3)) / 2;
        Path report = outDir.resolve("report.html");
        StringWriter err = new StringWriter();
        int exit = Main.newCommandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("report", dir.toString(), "-o", report.toString(), "--blur-at", Double.toString(threshold));
        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.SOME_FAILED);

        try (Browser browser = Browser.start()) {
            WebDriver driver = browser.driver();
            driver.get(report.toUri().toString());
            JavascriptExecutor js = (JavascriptExecutor) driver;

            List<WebElement> cards = driver.findElements(By.cssSelector("figure.card"));
            assertThat(cards).hasSize(IMAGES.size());
            List<WebElement> blurred = driver.findElements(By.cssSelector("button.frame.blurred"));
            assertThat(blurred).hasSize(3);
            WebElement first = blurred.get(0);
            WebElement img = first.findElement(By.tagName("img"));
            assertThat(js.executeScript("return getComputedStyle(arguments[0]).filter;", img)).asString().contains("blur(");
            Number loaded = (Number) js.executeScript("return arguments[0].naturalWidth;", img);
            assertThat(loaded.intValue()).as("the thumbnail is an embedded image that loaded").isPositive();

            first.click();

            assertThat(first.getDomAttribute("class")).doesNotContain("blurred");
            // The blur fades out with a short CSS transition: wait (bounded) for it to end.
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(d -> "none".equals(js.executeScript("return getComputedStyle(arguments[0]).filter;", img)));
            assertThat(driver.findElements(By.cssSelector("button.frame.blurred"))).hasSize(2);
            assertThat(driver.findElement(By.cssSelector("#errors td.file")).getText()).isEqualTo("broken.jpg");
            browser.fullPageScreenshot("report");

            first.click();
            assertThat(first.getDomAttribute("class")).contains("blurred");
        }
    }
}
