package dev.tailor.ingest.api;

import dev.tailor.ingest.domain.IngestFailure;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of this API as RFC 7807 {@code application/problem+json}: what was wrong and what to do. */
public final class Problems {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(Problems.class);

    public static Response of(int status, String title, String detail, Map<String, Object> extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "https://tailor.dev/problems/" + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        if (extra != null) {
            p.putAll(extra);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(p).build();
    }

    @ServerExceptionMapper
    public Response ingestFailure(IngestFailure e) {
        int status = status(e.reason());
        if (status >= 500) {
            LOG.warn(e.getMessage());
        }
        return of(status, e.title(), e.getMessage(), e.extra());
    }

    /** The HTTP status of each kind of ingest failure. */
    static int status(IngestFailure.Reason reason) {
        return switch (reason) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_FORMAT -> 415;
            case UNPROCESSABLE -> 422;
            case UNAVAILABLE -> 503;
        };
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 415 -> "send the file as the request body with Content-Type application/x-ndjson, application/jsonl,"
                    + " application/json, text/plain, text/csv or application/octet-stream, or as multipart/form-data with a part named 'file'";
            case 404 -> "no such resource: " + e.getMessage();
            case 405 -> "method not allowed here: " + e.getMessage();
            default -> String.valueOf(e.getMessage());
        };
        return of(status, e.getResponse().getStatusInfo().getReasonPhrase(), detail, null);
    }

    @ServerExceptionMapper
    public Response badArgument(IllegalArgumentException e) {
        return of(400, "Bad request", e.getMessage(), null);
    }
}
