package io.keshikaran.examples.browser;

import io.keshikaran.cli.ExitCodes;
import io.keshikaran.cli.Main;
import io.keshikaran.examples.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keshikaran calibrate -o calibration.html} opened from disk in a real headless Chromium:
 * the SVG curves render with a real size, the threshold table has a row per model and formula, and
 * the misclassified thumbnails are embedded images that load. The labelled task is drawings
 * (positive) against photos (negative) from fixtures/images, scored by the Drawing probability.
 */
class CalibrationBrowserTest {
    private static final List<String> DRAWINGS = List.of("cartoon-tree-owls.png", "cartoon-watermill.png",
            "dog-cartoon.png", "gift-clipart.png", "horse-silhouette.png", "wallpaper-spacefun.jpg");
    private static final List<String> PHOTOS = List.of("astronaut.png", "cat-chelsea.png", "coffee.png", "dog.jpg",
            "dog-german-shepherd.jpg", "flower.jpg", "grace-hopper.jpg", "horses.jpg", "rocket.jpg", "crocodile.jpg");

    @Test
    void curvesTableAndThumbnailsRender(@TempDir Path dir, @TempDir Path outDir) throws Exception {
        Path drawings = Files.createDirectories(dir.resolve("drawings"));
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (String name : DRAWINGS) {
            Files.copy(Fixtures.image(name), drawings.resolve(name));
        }
        for (String name : PHOTOS) {
            Files.copy(Fixtures.image(name), photos.resolve(name));
        }
        Files.writeString(photos.resolve("broken.jpg"), "not a JPEG");
        Path page = outDir.resolve("calibration.html");
        StringWriter err = new StringWriter();
        // mobilenet_v2 confuses some of these drawings and photos, so there are misclassified images to show.
        int exit = Main.newCommandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("calibrate", "--positive", drawings.toString(), "--negative", photos.toString(),
                        "--model", "mobilenet_v2", "--score-labels", "Drawing,Drawing+Hentai", "--bootstrap", "200",
                        "-o", page.toString());
        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.SOME_FAILED);

        try (Browser browser = Browser.start()) {
            WebDriver driver = browser.driver();
            driver.get(page.toUri().toString());
            JavascriptExecutor js = (JavascriptExecutor) driver;

            for (String chart : List.of("roc", "pr")) {
                List<WebElement> curves = driver.findElements(By.cssSelector("#" + chart + " polyline.curve"));
                assertThat(curves).as(chart).hasSize(2);
                for (WebElement curve : curves) {
                    @SuppressWarnings("unchecked")
                    Map<String, Number> box = (Map<String, Number>) js.executeScript(
                            "var b = arguments[0].getBBox(); return {w: b.width, h: b.height};", curve);
                    assertThat(box.get("w").doubleValue()).as("%s curve width", chart).isGreaterThan(50);
                    assertThat(box.get("h").doubleValue()).as("%s curve height", chart).isGreaterThan(50);
                }
                assertThat(driver.findElements(By.cssSelector("#" + chart + " circle.point"))).isNotEmpty();
            }

            List<WebElement> rows = driver.findElements(By.cssSelector("#thresholds tbody tr"));
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).getText()).contains("mobilenet_v2").contains("Drawing");
            assertThat(driver.findElement(By.cssSelector("#thresholds td.review")).getDomAttribute("data-threshold")).isNotBlank();

            List<WebElement> thumbs = driver.findElements(By.cssSelector("figure.miss button.frame img"));
            assertThat(thumbs).isNotEmpty();
            for (WebElement img : thumbs) {
                Number width = (Number) js.executeScript("return arguments[0].naturalWidth;", img);
                assertThat(width.intValue()).as("thumbnail loaded").isPositive();
            }
            WebElement frame = driver.findElement(By.cssSelector("figure.miss button.frame"));
            WebElement img = frame.findElement(By.tagName("img"));
            assertThat(js.executeScript("return getComputedStyle(arguments[0]).filter;", img)).asString().contains("blur(");
            frame.click();
            assertThat(frame.getDomAttribute("class")).doesNotContain("blurred");
            assertThat(driver.findElement(By.cssSelector("#errors td.file")).getText()).endsWith("broken.jpg");
            browser.fullPageScreenshot("calibration");
        }
    }
}
