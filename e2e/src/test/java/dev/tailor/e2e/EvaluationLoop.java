package dev.tailor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.auth.ApiKeyStore;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.localstack.LocalStack;
import dev.tailor.localstack.TailorService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The loop back to training and the judge, on the packaged services over the real broker and S3: Tailor trains a
 * judge model (the tiny fixture taught to answer a verdict), serves it on its own OpenAI-compatible API, runs a
 * sweep of two candidates (each evaluated, only the better one promoted, both keep their reports), then compares
 * the two candidates with each other over POST /v1/evaluations with that judge asked in both orders.
 * <p>{@link PipelineIT} runs it last, on its stack (a stack of its own cost a start and a stop, about a minute):
 * its datasets, jobs and models are its own, and the tiny fixture is the tenant's base model there already.
 */
final class EvaluationLoop {
    private static final String BASE_MODEL = PipelineIT.BASE_MODEL;
    private static final ObjectLayout LAYOUT = new ObjectLayout(PipelineIT.TENANT);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Short enough for the fixture's 128 positions: question, then both answers. */
    private static final String JUDGE_TEMPLATE = "{{ question }}|{{ answer_a }}|{{ answer_b }}=";

    private final LocalStack stack;
    private final ObjectStore store;
    /** An admin API key of the tenant, as the demo makes one; also the judge's key at the inference service. */
    private final String key;

    EvaluationLoop(LocalStack stack, ObjectStore store) {
        this.stack = stack;
        this.store = store;
        this.key = new ApiKeyStore(store).create(LAYOUT.tenant(), "e2e-loop", Set.of(Roles.ADMIN), "e2e",
                Instant.now().plusSeconds(3600)).key().value();
    }

    void run() throws Exception {
        Random random = new Random(11);
        // the judge's data: prompts shaped like the judge template, always answered "[[A]]"
        List<String> judge = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            judge.add(chat(word(random) + "?|" + word(random) + "|" + word(random) + "=", "[[A]]"));
        }
        putSplits("judge-ds", judge, judge.subList(0, 4), judge.subList(0, 6));
        String[][] qa = {{"hi", "hello"}, {"2+2?", "four"}, {"sky?", "blue"}, {"cat?", "meow"}, {"dog?", "woof"},
                {"sun?", "hot"}, {"ice?", "cold"}, {"yes?", "no"}};
        List<String> faq = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            faq.add(chat(qa[i % qa.length][0], qa[i % qa.length][1]));
        }
        putSplits("loop-ds", faq, faq.subList(0, 4), faq.subList(0, 8));

        try (TopicLog log = new TopicLog(stack.infra().kafkaBootstrap())) {
            // 1. Tailor trains its own judge; promoted (loss gate of the e2e settings), inference serves it
            JsonNode judgeJob = post(TailorService.TRAINING, "/v1/training-jobs", "{\"datasetId\":\"judge-ds\","
                    + "\"datasetVersion\":\"v1\",\"baseModel\":\"" + BASE_MODEL + "\",\"params\":{\"maxSteps\":80,"
                    + "\"learningRate\":0.02,\"batchSize\":8,\"maxSeqLength\":64,\"evalEvery\":0,\"loraRank\":8,"
                    + "\"targetModules\":[\"q_proj\",\"k_proj\",\"v_proj\",\"o_proj\",\"gate_proj\",\"up_proj\","
                    + "\"down_proj\"],\"warmupRatio\":0}}", 202);
            String judgeModel = judgeJob.path("modelId").asText();
            ModelEvaluated judged = evaluated(log, judgeModel);
            assertEquals("PROMOTE", judged.verdict(), judged.reason());
            awaitServed(judgeModel);

            // 2. a sweep of two learning rates: both trained and evaluated, only the better one promoted
            JsonNode sweep = post(TailorService.TRAINING, "/v1/training-jobs", "{\"datasetId\":\"loop-ds\","
                    + "\"datasetVersion\":\"v1\",\"baseModel\":\"" + BASE_MODEL + "\",\"params\":{\"maxSteps\":8,"
                    + "\"batchSize\":8,\"maxSeqLength\":64,\"evalEvery\":0,\"loraRank\":4},\"sweep\":{\"learningRate\":"
                    + "[0.0005,0.02]}}", 202);
            List<String> candidates = new ArrayList<>();
            sweep.path("jobs").forEach(j -> candidates.add(j.path("modelId").asText()));
            assertEquals(2, candidates.size(), sweep.toString());
            List<ModelEvaluated> verdicts = new ArrayList<>();
            for (String c : candidates) {
                verdicts.add(evaluated(log, c));
            }
            long promoted = verdicts.stream().filter(ModelEvaluated::promoted).count();
            assertTrue(promoted <= 1, "at most one candidate of a sweep is promoted: " + verdicts);
            for (ModelEvaluated v : verdicts) {
                JsonNode report = Json.read(store.getBytes(LAYOUT.evalReport(v.modelId(), "json")), JsonNode.class);
                assertEquals(sweep.path("sweepId").asText(), report.at("/sweep/sweepId").asText());
                assertEquals(v.verdict(), report.path("verdict").asText(), "the report keeps the final verdict");
                assertTrue(store.exists(LAYOUT.evalReport(v.modelId(), "html")));
                if (!v.promoted() && promoted == 1) {
                    assertTrue(v.reason().contains("sweep") || !report.at("/gate/verdict/decision").asText()
                            .equals("PROMOTE"), v.reason());
                }
            }
            if (promoted == 1) {
                ModelEvaluated best = verdicts.stream().filter(ModelEvaluated::promoted).findFirst().orElseThrow();
                assertTrue(best.reason().startsWith("Best of 2 sweep candidates"), best.reason());
            }

            // 3. the two candidates compared with each other, judged by the judge Tailor serves, in both orders
            String inference = stack.url(TailorService.INFERENCE) + "/v1";
            JsonNode asked = post(TailorService.EVAL, "/v1/evaluations", Json.write(Map.of("model", candidates.get(1),
                    "baseline", candidates.get(0), "settings", Map.of("generation", Map.of("maxNewTokens", 8),
                            "judge", Map.of("url", inference, "model", judgeModel, "apiKey", key,
                                    "template", JUDGE_TEMPLATE, "maxTokens", 16), "gate", Map.of("loss", Map.of(), "judge", Map.of())))), 202);
            String id = asked.path("evaluationId").asText();
            assertTrue(!asked.toString().contains(key), "the judge's key is not in the evaluation's record");
            JsonNode done = awaitEvaluation(id);
            assertEquals("SUCCEEDED", done.path("state").asText(), done.toString());
            JsonNode report = get(TailorService.EVAL, "/v1/evaluations/" + id + "/report.json");
            assertEquals(candidates.get(0), report.at("/baseline/id").asText());
            JsonNode j = report.path("judge");
            assertEquals(judgeModel, j.path("model").asText());
            assertEquals(8, j.path("asked").asInt(), j.toString());
            int usable = j.path("usable").asInt();
            assertTrue(usable >= 4, "the judge Tailor trained answers with a verdict: " + j);
            JsonNode wtl = j.at("/winRate/winTieLoss");
            assertEquals(usable, wtl.path("wins").asInt() + wtl.path("ties").asInt() + wtl.path("losses").asInt());
            // a judge taught to answer "A" prefers a position, not an answer: asked in both orders, such an example
            // is a tie
            assertTrue(j.path("positionBiased").asInt() >= 1, j.toString());
            assertTrue(wtl.path("ties").asInt() >= j.path("positionBiased").asInt(), j.toString());
            int biased = 0;
            for (JsonNode row : report.path("results")) {
                assertEquals(2, row.path("judgeRationale").size(), "both replies are kept per example: " + row);
                String first = row.path("judgeRationale").get(0).asText();
                String second = row.path("judgeRationale").get(1).asText();
                if (first.contains("[[A]]") && !first.contains("[[B]]") && second.contains("[[A]]")
                        && !second.contains("[[B]]")) {
                    biased++;
                    assertEquals(0.5, row.path("judgePreference").asDouble(), 1e-9, row.toString());
                }
            }
            assertTrue(biased >= 1, "examples the judge answered [[A]] in both orders");
            assertTrue(report.path("reason").asText().contains("judge's win-rate gain"), report.path("reason").asText());
            assertEquals("judge win-rate gain", report.at("/gate/verdict/conditions/1/name").asText());
            String html = getText(TailorService.EVAL, "/v1/evaluations/" + id + "/report.html");
            assertTrue(html.contains("LLM judge") && html.contains(judgeModel), "the page shows the judge");
        }
    }

    private static String word(Random random) {
        String letters = "abcdefghijklmnopqrstuvwxyz";
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = 2 + random.nextInt(4); i < n; i++) {
            b.append(letters.charAt(random.nextInt(letters.length())));
        }
        return b.toString();
    }

    private static String chat(String user, String assistant) {
        return Json.write(Map.of("messages", List.of(Map.of("role", "user", "content", user),
                Map.of("role", "assistant", "content", assistant))));
    }

    private void putSplits(String dataset, List<String> train, List<String> validation, List<String> test) {
        store.putString(LAYOUT.split(dataset, "v1", "train"), String.join("\n", train) + "\n", "application/x-ndjson");
        store.putString(LAYOUT.split(dataset, "v1", "validation"), String.join("\n", validation) + "\n",
                "application/x-ndjson");
        store.putString(LAYOUT.split(dataset, "v1", "test"), String.join("\n", test) + "\n", "application/x-ndjson");
    }

    private ModelEvaluated evaluated(TopicLog log, String modelId) {
        return Json.read(log.await(e -> e.topic().equals(Topics.MODEL_EVALUATED) && e.value().contains(modelId),
                Duration.ofMinutes(6), e -> e.topic().endsWith(".dlq") && e.value().contains(modelId)).value(),
                ModelEvaluated.class);
    }

    private JsonNode awaitEvaluation(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        JsonNode view = null;
        while (System.nanoTime() < deadline) {
            view = get(TailorService.EVAL, "/v1/evaluations/" + id);
            if (view.path("state").asText().equals("SUCCEEDED") || view.path("state").asText().equals("FAILED")) {
                return view;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("evaluation " + id + " did not finish: " + view);
    }

    private void awaitServed(String modelId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (get(TailorService.INFERENCE, "/v1/models").toString().contains(modelId)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("inference never listed " + modelId);
    }

    private JsonNode post(TailorService service, String path, String body, int status) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(service) + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, res.statusCode(), res::body);
        return Json.mapper().readTree(res.body());
    }

    private JsonNode get(TailorService service, String path) throws Exception {
        return Json.mapper().readTree(getText(service, path));
    }

    private String getText(TailorService service, String path) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(service) + path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), res::body);
        return res.body();
    }
}
