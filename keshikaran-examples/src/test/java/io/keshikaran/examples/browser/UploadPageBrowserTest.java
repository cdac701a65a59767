package io.keshikaran.examples.browser;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.examples.Fixtures;
import io.keshikaran.examples.server.ModerationServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's upload page in a real headless Chromium: pick a file, see its score. */
class UploadPageBrowserTest {
    private static Classifier classifier;
    private static ModerationServer server;

    @BeforeAll
    static void start() throws Exception {
        classifier = Classifier.builder().build();
        server = ModerationServer.builder().setClassifier(classifier).optPort(0).build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (classifier != null) {
            classifier.close();
        }
    }

    private static String awaitResult(WebDriver driver) {
        WebElement result = driver.findElement(By.id("result"));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            String state = result.getDomAttribute("data-state");
            return "done".equals(state) || "error".equals(state);
        });
        return result.getDomAttribute("data-state");
    }

    @Test
    void uploadingAnImageShowsItsScoreDecisionAndABarPerClass() throws Exception {
        Path dog = Fixtures.image("dog.jpg").toAbsolutePath();
        Classification expected = classifier.classify(dog);
        try (Browser browser = Browser.start()) {
            WebDriver driver = browser.driver();
            driver.get(server.uri().toString());
            driver.findElement(By.id("file")).sendKeys(dog.toString());

            assertThat(awaitResult(driver)).isEqualTo("done");
            assertThat(driver.findElement(By.id("score")).getText())
                    .isEqualTo(String.format(Locale.ROOT, "%.2f", expected.score()));
            String decision = expected.score() >= 0.8 ? "reject" : expected.score() >= 0.4 ? "review" : "accept";
            assertThat(driver.findElement(By.id("decision")).getDomAttribute("class")).isEqualTo(decision);
            List<WebElement> bars = driver.findElements(By.cssSelector("#bars .bar"));
            assertThat(bars).extracting(b -> b.getDomAttribute("data-label"))
                    .containsExactlyElementsOf(expected.probabilities().keySet());
            for (WebElement bar : bars) {
                String label = bar.getDomAttribute("data-label");
                double shown = Double.parseDouble(bar.findElement(By.className("fill")).getDomAttribute("style")
                        .replaceAll("[^0-9.]", ""));
                assertThat(shown).as(label).isCloseTo(expected.probability(label) * 100, org.assertj.core.data.Offset.offset(0.051));
            }
            assertThat(driver.findElement(By.id("name")).getText()).isEqualTo("dog.jpg");
            Number previewWidth = (Number) ((JavascriptExecutor) driver).executeScript(
                    "return document.getElementById('preview').naturalWidth;");
            assertThat(previewWidth.intValue()).as("the preview shows the image").isPositive();
            browser.screenshot("upload-page");
        }
    }

    @Test
    void uploadingSomethingThatIsNotAnImageShowsTheServersReason() {
        Path text = Fixtures.format("text.png").toAbsolutePath();
        try (Browser browser = Browser.start()) {
            WebDriver driver = browser.driver();
            driver.get(server.uri().toString());
            driver.findElement(By.id("file")).sendKeys(text.toString());

            assertThat(awaitResult(driver)).isEqualTo("error");
            assertThat(driver.findElement(By.id("error")).getText()).isEqualTo("not an image (the content is text)");
            browser.screenshot("upload-page-error");
        }
    }
}
