package dev.tailor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web console in a real headless browser (Debian's chromium and its chromedriver), clicking through what a user
 * does: sign in with the API key, upload a file, watch the pipeline stages change live, read the cleaning report,
 * follow the training job's loss curve, open the evaluation with its report, see the model deployed under its
 * alias, deploy it under another alias with a canary, change and roll back that alias, and chat with it (streamed). A screenshot of each page is kept in {@code e2e/target/console-screenshots/}.
 */
final class ConsoleFlow implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final String console;
    private final Path shots;
    private final ChromeDriver browser;

    ConsoleFlow(String console, Path shots) throws Exception {
        this.console = console;
        this.shots = Files.createDirectories(shots);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory("chromium-console"));
        this.browser = new ChromeDriver(service, options);
    }

    /** Whether the browser is installed; the message says what to install when it is not. */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * @param key       an admin API key of the tenant
     * @param dataset   the file the user uploads
     * @param baseModel the base model to fine-tune
     * @return the screenshot the README shows (the dataset page with its finished pipeline and its report)
     */
    Path run(String key, Path dataset, String baseModel) throws Exception {
        browser.get(console + "/");
        WebElement keyField = await(Duration.ofSeconds(20), By.id("api-key"));
        keyField.sendKeys("tlr_0123456789abcdef_" + "A".repeat(43));
        browser.findElement(By.id("sign-in")).click();
        waitUntil(Duration.ofSeconds(10), "a refused key is reported",
                () -> browser.findElement(By.id("login-error")).getText().contains("Sign-in failed"));
        keyField = browser.findElement(By.id("api-key"));
        keyField.clear();
        keyField.sendKeys(key);
        browser.findElement(By.id("sign-in")).click();
        await(Duration.ofSeconds(20), By.id("upload"));
        waitUntil(Duration.ofSeconds(20), "the live event stream is connected",
                () -> browser.findElement(By.id("live")).getText().equals("live"));
        shot("01-datasets");

        // upload → the dataset's page, its stages turning DONE as the events arrive
        browser.findElement(By.id("upload-file")).sendKeys(dataset.toAbsolutePath().toString());
        browser.findElement(By.id("upload-name")).sendKeys("console-upload");
        browser.findElement(By.id("upload-base")).sendKeys(baseModel);
        browser.findElement(By.id("upload-submit")).click();
        waitUntil(Duration.ofSeconds(30), "the upload leads to the dataset's page",
                () -> browser.getCurrentUrl().contains("#/datasets/ds-"));
        String datasetId = browser.getCurrentUrl().replaceAll(".*#/datasets/", "");
        awaitStage("ingested", "DONE", Duration.ofMinutes(1));
        awaitStage("cleaned", "DONE", Duration.ofMinutes(2));

        // the cleaning report: per-rule counts with samples
        WebElement emptyLines = await(Duration.ofSeconds(30),
                By.cssSelector("#report-rules tr[data-rule='dropped.empty-line']"));
        List<WebElement> cells = emptyLines.findElements(By.tagName("td"));
        assertEquals("1", cells.get(1).getText(), "one blank line in support-mini.jsonl: " + emptyLines.getText());
        assertTrue(cells.get(2).getText().contains("blank line"), "the sample says why: " + emptyLines.getText());
        assertTrue(browser.findElement(By.id("report-summary")).getText().contains("records in"),
                browser.findElement(By.id("report-summary")).getText());
        shot("02-dataset-pipeline-and-report");

        // the training job with its loss curve, drawn from the progress events
        await(Duration.ofMinutes(2), By.id("link-job")).click();
        waitUntil(Duration.ofMinutes(5), "the job succeeds", () -> "SUCCEEDED".equals(
                browser.findElement(By.id("job-info")).getAttribute("data-state")));
        int points = browser.findElements(By.cssSelector("#loss-chart circle.point")).size();
        assertTrue(points >= 2, "the loss curve has " + points + " points");
        shot("03-job-loss-curve");

        // the evaluation, with eval-service's HTML report inside the page
        browser.get(console + "/#/datasets/" + datasetId);
        awaitStage("evaluated", "DONE", Duration.ofMinutes(3));
        await(Duration.ofSeconds(20), By.id("link-evaluation")).click();
        waitUntil(Duration.ofSeconds(30), "the verdict is shown",
                () -> browser.findElement(By.id("eval-verdict")).getText().equals("PROMOTE"));
        assertFalse(browser.findElements(By.cssSelector("#eval-metrics tbody tr")).isEmpty(), "no metric rows");
        String modelId = browser.getCurrentUrl().replaceAll(".*#/evaluations/", "");
        browser.switchTo().frame(await(Duration.ofSeconds(30), By.id("eval-report-frame")));
        assertTrue(browser.findElement(By.tagName("h1")).getText().contains(modelId),
                "the report is the model's: " + browser.findElement(By.tagName("h1")).getText());
        browser.switchTo().defaultContent();
        shot("04-evaluation");

        // models and deployments: the promoted model is served under its dataset's alias
        browser.findElement(By.cssSelector("#nav a[data-page='models']")).click();
        waitUntil(Duration.ofMinutes(1), "the deployment under the dataset's alias is listed", () -> {
            String text = browser.findElement(By.id("deployments")).getText();
            if (!text.contains(datasetId)) {
                browser.navigate().refresh();
            }
            return text.contains(datasetId) && text.contains(modelId);
        });
        // a second alias from the page: the tuned model with the base model as a 20 % canary, then the base model
        // alone, then rolled back to the tuned model
        deploy("console-bot", modelId, baseModel, "20");
        waitUntil(Duration.ofSeconds(30), "console-bot with its canary", () -> cells("console-bot").get(1).equals(modelId)
                && cells("console-bot").get(2).equals(baseModel + " (20%)"));
        shot("05-models-and-deployments");
        deploy("console-bot", baseModel, "", "");
        waitUntil(Duration.ofSeconds(30), "console-bot serving the base model, the tuned one before it",
                () -> cells("console-bot").get(1).equals(baseModel) && cells("console-bot").get(3).contains(modelId));
        browser.findElement(By.cssSelector("button[data-rollback='console-bot']")).click();
        waitUntil(Duration.ofSeconds(30), "console-bot rolled back to the tuned model",
                () -> cells("console-bot").get(1).equals(modelId));
        assertTrue(browser.findElement(By.id("deploy-result")).getText().contains("rolled back"),
                browser.findElement(By.id("deploy-result")).getText());

        // the chat playground, streamed from the OpenAI API of the tuned model
        browser.findElement(By.cssSelector("#nav a[data-page='chat']")).click();
        waitUntil(Duration.ofSeconds(30), "the served models are offered", () -> browser.findElement(By.id("chat-model"))
                .findElements(By.tagName("option")).stream().anyMatch(o -> o.getAttribute("value").contains(modelId)));
        browser.findElement(By.id("chat-model")).findElements(By.tagName("option")).stream().filter(o -> o.getAttribute("value").contains(modelId)).findFirst().orElseThrow()
                .click();
        browser.findElement(By.id("chat-input")).sendKeys("How do I create an AUTOINCREMENT field?");
        browser.findElement(By.id("chat-send")).click();
        waitUntil(Duration.ofMinutes(1), "the streamed answer is complete", () -> browser
                .findElements(By.cssSelector(".msg.assistant[data-streaming='false']")).size() == 1);
        String status = browser.findElement(By.id("chat-status")).getText();
        Matcher chunks = Pattern.compile("(\\d+) chunks streamed").matcher(status);
        assertTrue(chunks.find() && Integer.parseInt(chunks.group(1)) >= 1, "chat status: " + status);
        assertFalse(browser.findElement(By.cssSelector(".msg.assistant")).getText().isBlank(), "empty answer");
        shot("06-chat");

        // back on the dataset's page: every stage done, the report below (the README's picture)
        browser.findElement(By.cssSelector("#nav a[data-page='datasets']")).click();
        browser.get(console + "/#/datasets/" + datasetId);
        awaitStage("deployed", "DONE", Duration.ofSeconds(30));
        await(Duration.ofSeconds(30), By.cssSelector("#report-rules tr[data-rule='dropped.empty-line']"));
        return shot("07-dataset-done");
    }

    /** Fills the deploy form of the models page and sends it. */
    private void deploy(String alias, String model, String canary, String percent) {
        for (String[] field : new String[][] {{"deploy-alias", alias}, {"deploy-model", model},
                {"deploy-canary", canary}, {"deploy-percent", percent}}) {
            WebElement input = browser.findElement(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
        browser.findElement(By.cssSelector("#deploy button[type='submit']")).click();
    }

    /** The cells' text of the deployments table's row of {@code alias} (alias, model, canary, previous, status). */
    private List<String> cells(String alias) {
        for (WebElement row : browser.findElements(By.cssSelector("#deployments tbody tr"))) {
            List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
            if (!cells.isEmpty() && cells.get(0).equals(alias)) {
                return cells;
            }
        }
        throw new org.openqa.selenium.NoSuchElementException("no deployment row " + alias);
    }

    private void awaitStage(String stage, String state, Duration timeout) {
        waitUntil(timeout, "stage " + stage + " " + state, () -> !browser.findElements(By.cssSelector(
                ".stage[data-stage='" + stage + "'][data-state='" + state + "']")).isEmpty());
    }

    private WebElement await(Duration timeout, By by) {
        waitUntil(timeout, "an element " + by, () -> !browser.findElements(by).isEmpty());
        return browser.findElement(by);
    }

    private void waitUntil(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                last = e; // the page was redrawn while we looked: look again
            }
            sleep(200);
        }
        Path failed = shot("failed");
        throw new AssertionError("console: no " + what + " within " + timeout + " at " + browser.getCurrentUrl()
                + " (screenshot " + failed + "); the page shows:\n" + browser.findElement(By.tagName("main")).getText(),
                last);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Path shot(String name) {
        try {
            Path file = shots.resolve(name + ".png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        browser.quit();
    }
}
