package dev.tailor.ingest.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A multipart/form-data request whose boundary is missing, empty or not what RFC 2046 allows (1 to 70 characters of
 * a small set) gets a 400 problem before the multipart parser reads the body (which fails on an empty boundary with
 * an internal error). It runs after the operation is matched, so a caller without credentials is answered 401 first.
 */
public final class MultipartBoundaryFilter {
    /** RFC 2046 section 5.1.1: bchars, 1 to 70 of them, not ending in a space. */
    private static final Pattern BOUNDARY = Pattern.compile("[0-9A-Za-z'()+_,\\-./:=? ]{0,69}[0-9A-Za-z'()+_,\\-./:=?]");

    @ServerRequestFilter
    public Response checkBoundary(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.trim().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return null;
        }
        String boundary;
        try {
            boundary = MediaType.valueOf(type).getParameters().get("boundary");
        } catch (IllegalArgumentException e) {
            boundary = null;
        }
        if (boundary == null || !BOUNDARY.matcher(boundary).matches()) {
            return Problems.of(400, "Bad multipart boundary", "Content-Type '" + type + "' needs a boundary parameter"
                    + " of 1 to 70 letters, digits or '()+_,-./:=? (RFC 2046); a client such as curl -F sets one", null);
        }
        return null;
    }
}
