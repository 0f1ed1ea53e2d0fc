package dev.tailor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.Topics;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.finetune.FineTune;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import dev.tailor.common.auth.Roles;
import dev.tailor.testkit.TestIssuer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The report page as people see it: a model trained here (its metrics.jsonl gives the loss chart) is evaluated
 * through the pipeline's event, and its report.html, served by this service, is opened in a real headless Chromium
 * (Debian's chromium and chromium-driver). The page must show the verdict, the metric table and its charts with
 * nothing loaded from elsewhere; a full-page screenshot is saved to target/report-screenshot.png. Skipped, saying
 * why, where Chromium is not installed.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class ReportPageTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");
    private static final Path FIXTURE = Path.of("src/test/resources/tiny-llama");
    private static final Path SCREENSHOT = Path.of("target/report-screenshot.png");

    @TestHTTPResource("/")
    URL service;

    @Test
    void theReportPageRendersInAHeadlessBrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): "
                        + "apt-get install -y chromium chromium-driver to check the report page in a browser");
        ObjectStore store = TailorInfraResource.objectStore();
        store.ensureBucket();
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            store.putBytes(LAYOUT.baseModel("tiny-llama") + file, Files.readAllBytes(FIXTURE.resolve(file)),
                    "application/octet-stream");
        }
        String[][] qa = {{"hi", "hello there", "greeting"}, {"2+2?", "four", "math"}, {"sky?", "blue sky", "nature"},
                {"cat?", "meow meow", "animals"}, {"dog?", "woof woof", "animals"}, {"3+3?", "six", "math"}};
        List<String> lines = new ArrayList<>();
        for (String[] p : qa) {
            lines.add(Json.write(Map.of("messages", List.of(Map.of("role", "user", "content", p[0]),
                    Map.of("role", "assistant", "content", p[1])), "source", Map.of("file", "faq.jsonl",
                    "kind", p[2].equals("math") ? "faq" : "email"), "metadata", Map.of("category", p[2]))));
        }
        store.putString(LAYOUT.split("page-ds", "v1", "test"), String.join("\n", lines) + "\n", "application/x-ndjson");
        String modelId = "ft-page-" + UUID.randomUUID().toString().substring(0, 8);
        Path out = Files.createTempDirectory("eval-page");
        List<ChatExample> examples = lines.stream().map(ChatExample::fromJson).toList();
        TrainingParams params = TrainingParams.builder().loraRank(8).loraAlpha(16).loraDropout(0.0)
                .targetModules(Projection.Q_PROJ, Projection.V_PROJ).epochs(1).maxSteps(30).learningRate(1e-2)
                .batchSize(3).maxSeqLength(64).warmupRatio(0.0).scheduler("constant").seed(3).evalEvery(5).build();
        try (LanguageModel base = LanguageModel.load(FIXTURE)) {
            FineTune.run(base, examples, examples, params, RunOptions.to(out).withCheckpointEvery(0));
        }
        for (String file : List.of("adapter_config.json", "adapter_model.safetensors", "metrics.jsonl")) {
            store.putBytes(LAYOUT.tunedModel(modelId) + file, Files.readAllBytes(out.resolve(file)),
                    "application/octet-stream");
        }
        try (KafkaTestClient kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap())) {
            kafka.sendEvent(ModelTrained.create("default", modelId, "job-" + modelId, "page-ds", "v1", "tiny-llama",
                    store.uri(LAYOUT.tunedModel(modelId)), store.uri(LAYOUT.split("page-ds", "v1", "test")), 1.0,
                    1.0).withJob(null, null, (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper()
                    .readTree("{\"generation\": {\"maxNewTokens\": 10}, \"slices\": [\"category\"]}")));
            kafka.awaitEvent(Topics.MODEL_EVALUATED, ModelEvaluated.class, e -> modelId.equals(e.modelId()),
                    Duration.ofMinutes(2));
        }

        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriver browser = new ChromeDriver(driverService, options);
        try {
            // the page needs credentials like every endpoint: a browser without them is refused; people fetch it
            // with their key (curl -H "Authorization: Bearer …" -o report.html) and open the file, as here
            String url = new URL(service, "v1/evaluations/" + modelId + "/report.html").toString();
            browser.get(url);
            assertTrue(!browser.getPageSource().contains(modelId), "no report without credentials");
            Path page = Files.createTempDirectory("eval-page-html").resolve("report.html");
            Files.writeString(page, io.restassured.RestAssured.given().auth().oauth2(TestIssuer.shared().token(
                    "default", "viewer@default", Roles.VIEWER)).get(url).then().statusCode(200).extract().asString());
            browser.get(page.toUri().toString());
            assertTrue(browser.getTitle().contains(modelId), browser.getTitle());
            assertTrue(browser.findElement(By.tagName("h1")).getText().contains(modelId));
            WebElement verdict = browser.findElement(By.cssSelector("p.verdict"));
            assertTrue(verdict.getText().startsWith("Promoted") || verdict.getText().startsWith("Rejected"),
                    verdict.getText());
            List<WebElement> charts = browser.findElements(By.tagName("svg"));
            assertTrue(charts.size() >= 3, "loss curve, gains with intervals, slice bars: " + charts.size());
            for (WebElement chart : charts) {
                assertTrue(chart.getSize().getWidth() > 100 && chart.getSize().getHeight() > 50,
                        "each chart is drawn with a size: " + chart.getSize());
            }
            assertTrue(browser.findElements(By.cssSelector("svg path")).size() >= 1, "the loss curve's lines");
            JavascriptExecutor js = browser;
            assertEquals(0L, js.executeScript("return performance.getEntriesByType('resource').length"),
                    "the page loads nothing besides itself");
            assertEquals(0L, js.executeScript("return document.scripts.length"));
            long height = (Long) js.executeScript("return document.documentElement.scrollHeight");
            browser.manage().window().setSize(new Dimension(1200, (int) Math.min(height + 40, 12_000)));
            File shot = browser.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOT, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertTrue(Files.size(SCREENSHOT) > 20_000, "a real screenshot: " + Files.size(SCREENSHOT) + " bytes");
        } finally {
            browser.quit();
        }
    }
}
