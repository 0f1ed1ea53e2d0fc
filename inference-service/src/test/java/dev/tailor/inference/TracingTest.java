package dev.tailor.inference;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.common.auth.Roles;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Trace spans: a completion is a span of the caller's trace (W3C traceparent) with the generation as a child span
 * that carries the requested and answering model, the token usage and an event at the first token.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class TracingTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aCompletionIsASpanOfTheCallersTraceWithItsGeneration() {
        ServedModels.upload(TailorInfraResource.objectStore());
        String key = ServedModels.apiKey(TailorInfraResource.objectStore(), Roles.INFERENCE_CLIENT);
        try (KafkaTestClient kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap())) {
            kafka.sendEvent(ModelDeployment.create("default", "trace-bot", ServedModels.BASE, ServedModels.BASE, null,
                    true));
        }
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> given().auth().oauth2(key).get("/v1/models").jsonPath()
                .getList("data.id").contains("trace-bot"));
        JsonPath answer = given().auth().oauth2(key).contentType(ContentType.JSON).header("traceparent", "00-" + TRACE
                        + "-00f067aa0ba902b7-01")
                .body("{\"model\":\"trace-bot\",\"max_tokens\":5,\"temperature\":0,\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"trace me\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> generation() != null);
        SpanData g = generation();
        assertEquals("chat " + ServedModels.BASE, g.getName());
        assertEquals(ServedModels.BASE, g.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")));
        assertEquals(answer.getLong("usage.completion_tokens"),
                g.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
        assertEquals(answer.getLong("usage.prompt_tokens"),
                g.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
        assertEquals(List.of(answer.getString("choices[0].finish_reason")),
                g.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")));
        assertTrue(g.getEvents().stream().anyMatch(e -> e.getName().equals("first_token")), g.toString());
        SpanData server = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(g.getParentSpanId())).findFirst().orElseThrow();
        assertTrue(server.getName().contains("/v1/chat/completions"), server.getName());
    }

    private SpanData generation() {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(TRACE) && s.getName().startsWith("chat ")).findFirst()
                .orElse(null);
    }
}
