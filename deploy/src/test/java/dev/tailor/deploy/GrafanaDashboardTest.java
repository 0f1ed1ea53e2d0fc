package dev.tailor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard the production overlay ships as a ConfigMap. */
class GrafanaDashboardTest {

    @Test
    void everyPanelQueriesPrometheusForTheSelectedServices() throws Exception {
        Kustomization k = Kustomization.load(Repo.k8s().resolve("components/grafana-dashboard"));
        assertEquals(1, k.generated().size(), "one dashboard file");
        Path file = k.generated().get(0);
        JsonNode dash = new ObjectMapper().readTree(Repo.read(file));
        List<String> variables = StreamSupport.stream(dash.path("templating").path("list").spliterator(), false)
                .map(v -> v.path("name").asText()).toList();
        assertTrue(variables.containsAll(List.of("datasource", "service")), "variables: " + variables);
        assertTrue(dash.path("uid").asText().matches("[a-z0-9-]{1,40}"), "a stable uid keeps links working");
        JsonNode panels = dash.path("panels");
        assertFalse(panels.isEmpty(), "no panels");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels) {
            String title = p.path("title").asText();
            assertTrue(ids.add(p.path("id").asInt()), "duplicate panel id in " + title);
            assertEquals("${datasource}", p.path("datasource").path("uid").asText(), title);
            assertFalse(p.path("targets").isEmpty(), title + " has no query");
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText();
                assertTrue(expr.contains("app_kubernetes_io_name=~\"$service\""), title + " ignores $service: " + expr);
                assertEquals(count(expr, '('), count(expr, ')'), title + " has unbalanced parentheses: " + expr);
                assertEquals(count(expr, '{'), count(expr, '}'), title + " has unbalanced braces: " + expr);
            }
        }
        String services = StreamSupport.stream(dash.path("templating").path("list").spliterator(), false)
                .filter(v -> "service".equals(v.path("name").asText())).findFirst().orElseThrow()
                .path("query").asText();
        assertEquals(Set.copyOf(TailorServices.PORTS.keySet()), Set.of(services.split(",")),
                "the service variable lists the Deployments");
    }

    /**
     * The pipeline's own figures are on the dashboard: stage throughput, queue depth, job states, tokens per second,
     * time to first token; every metric a query names carries the {@code $service} selector (so that each one is found
     * here and by the end-to-end test, which checks every name against the services' {@code /q/metrics}).
     */
    @Test
    void thePipelinesFiguresAreOnTheDashboardAndEveryMetricIsSelectedByService() throws Exception {
        Kustomization k = Kustomization.load(Repo.k8s().resolve("components/grafana-dashboard"));
        JsonNode dash = new ObjectMapper().readTree(Repo.read(k.generated().get(0)));
        Pattern metric = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
        Pattern call = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\(");
        Set<String> functions = Set.of("sum", "max", "min", "avg", "rate", "increase", "histogram_quantile", "by",
                "without", "count");
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode p : dash.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText();
                Matcher m = metric.matcher(expr);
                int selectors = 0;
                while (m.find()) {
                    selectors++;
                    assertTrue(m.group(2).contains("app_kubernetes_io_name=~\"$service\""),
                            p.path("title").asText() + ": " + m.group(1) + " is not selected by $service");
                    names.put(m.group(1), p.path("title").asText());
                }
                assertEquals(count(expr, '{'), selectors, p.path("title").asText() + ": a selector without a metric name");
                Matcher c = call.matcher(expr);
                while (c.find()) {
                    assertTrue(functions.contains(c.group(1)), p.path("title").asText() + ": unknown function or a"
                            + " metric without selector: " + c.group(1));
                }
            }
        }
        Map<String, String> wanted = Map.of(
                "stage throughput", "kafka_producer_topic_record_send_total",
                "queue depth (Kafka lag)", "kafka_consumer_fetch_manager_records_lag",
                "queue depth (inference)", "tailor_inference_queue_depth",
                "job states", "tailor_training_jobs_total",
                "tokens per second", "tailor_inference_generated_tokens_total",
                "time to first token", "tailor_inference_time_to_first_token_seconds_bucket");
        wanted.forEach((what, name) -> assertTrue(names.containsKey(name), what + ": no panel queries " + name
                + "; the dashboard names " + names.keySet()));
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
