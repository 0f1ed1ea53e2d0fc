package dev.tailor.inference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.auth.Roles;
import dev.tailor.testkit.OpenApiConformance;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OpenAPI document matches the code: every documented operation answers a status the document lists. */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class OpenApiConformanceTest {
    @TestHTTPResource("/")
    URL root;

    @Test
    void everyDocumentedOperationAnswersADocumentedStatus() throws Exception {
        String token = TestIssuer.shared().token("t-openapi", "admin@openapi", Roles.ADMIN);
        String base = root.toString().endsWith("/") ? root.toString().substring(0, root.toString().length() - 1)
                : root.toString();
        List<OpenApiConformance.Call> calls = OpenApiConformance.check(base, token, Set.of());
        calls.forEach(System.out::println);
        assertFalse(calls.isEmpty(), "the document lists operations");
        List<OpenApiConformance.Call> wrong = calls.stream().filter(c -> !c.conforms()).toList();
        assertTrue(wrong.isEmpty(), () -> "answers the document does not list: " + wrong);
    }
}
