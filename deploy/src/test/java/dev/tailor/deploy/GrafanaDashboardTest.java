package dev.tailor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashSet;
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
                "the service variable lists the five Deployments");
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
