package dev.tailor.ingest.api;

import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.security.api.ProblemShape;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;

/** Every error of this API as RFC 7807 {@code application/problem+json}: what was wrong and what to do. */
public final class Problems {
    public static final String PROBLEM_JSON = ProblemShape.MEDIA_TYPE;
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
        Response r = of(status, e.title(), e.getMessage(), e.extra());
        Object retry = e.extra().get("retryAfterSeconds");
        return retry == null ? r : Response.fromResponse(r).header("Retry-After", retry).build();
    }

    /** The HTTP status of each kind of ingest failure. */
    static int status(IngestFailure.Reason reason) {
        return switch (reason) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_FORMAT -> 415;
            case UNPROCESSABLE -> 422;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
            case UPSTREAM -> 502;
        };
    }

    /** 415 on an upload: which body types an upload takes (other JAX-RS refusals: security's RefusalMappers). */
    @ServerExceptionMapper
    public Response unsupportedType(NotSupportedException e, jakarta.ws.rs.core.UriInfo uri) {
        if (uri.getPath().endsWith("/reclean")) {
            return of(415, "Unsupported Media Type", "send the cleaning settings as a JSON object with Content-Type"
                    + " application/json, e.g. {\"quality\": {\"minChars\": 200}}", null);
        }
        return of(415, "Unsupported Media Type", "send the file as the request body with Content-Type"
                + " application/x-ndjson, application/jsonl, application/json, text/plain, text/csv or"
                + " application/octet-stream, or as multipart/form-data with a part named 'file'", null);
    }

    /** A multipart part header that cannot be parsed (a bare line break in a file name, bytes no header may hold). */
    @ServerExceptionMapper
    public Response malformedMultipart(MultipartParser.MalformedMessageException e) {
        return of(400, "Malformed multipart body", "a part header of the multipart/form-data body could not be read (a"
                + " line break or control character in a header such as the file name?); send the dataset as a part"
                + " named 'file' whose filename is a plain name, e.g. -F file=@data.jsonl", null);
    }

    /**
     * The multipart body ended before its closing boundary (the parser reports it as an IOException). Any other
     * IOException that reaches here is a problem of this service: a 500 problem that says so.
     */
    @ServerExceptionMapper
    public Response io(IOException e) {
        if (String.valueOf(e.getMessage()).contains("multipart")) {
            return of(400, "Incomplete multipart body", "the multipart/form-data body ended before its closing"
                    + " boundary (--<boundary>--): " + e.getMessage() + "; send the whole body", null);
        }
        LOG.error("unexpected I/O error", e);
        return of(500, "Internal error", "an I/O error on the server: " + e.getMessage() + "; retry later", null);
    }

    @ServerExceptionMapper
    public Response badArgument(IllegalArgumentException e) {
        return of(400, "Bad request", e.getMessage(), null);
    }
}
