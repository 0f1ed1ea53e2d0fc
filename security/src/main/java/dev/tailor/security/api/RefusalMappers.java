package dev.tailor.security.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * JAX-RS' own refusals (404 for an unknown path, 405 for a method the path does not take, 406 for an Accept it cannot
 * produce, 415 for a body type it does not take) in the API's error shape ({@link ErrorShape}), saying what to send
 * instead: never an empty body or the HTTP layer's HTML page. A response that already has a body is kept. A service
 * may map a narrower exception itself (ingest explains its upload types on 415); this mapper ranks after such ones.
 */
public class RefusalMappers {
    private final ErrorShape shape;

    public RefusalMappers(ErrorShape shape) {
        this.shape = shape;
    }

    @ServerExceptionMapper(priority = Priorities.USER + 100)
    public Response refused(WebApplicationException e, HttpServerRequest request) {
        Response r = e.getResponse();
        if (r != null && r.hasEntity()) {
            return r;
        }
        int status = r == null ? 500 : r.getStatus();
        String reason = r == null ? "Error" : r.getStatusInfo().getReasonPhrase();
        String where = request.method() + " " + request.path();
        String detail = switch (status) {
            case 404 -> "no such resource: " + where + "; the operations are listed in /q/openapi";
            case 405 -> where + " is not an operation of this API; the methods each path takes are listed in"
                    + " /q/openapi";
            case 406 -> "this API answers application/json (or the type the operation documents); send an Accept"
                    + " header that allows it, or none";
            case 415 -> "send the body in the content type the operation documents (see /q/openapi)";
            default -> String.valueOf(e.getMessage());
        };
        return shape.error(status, reason, detail, reason.toLowerCase(Locale.ROOT).replace(' ', '_'));
    }
}
