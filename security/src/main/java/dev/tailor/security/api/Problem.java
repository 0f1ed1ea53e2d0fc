package dev.tailor.security.api;

import jakarta.ws.rs.core.Response;

/**
 * RFC 9457 problem details ({@code application/problem+json}) of a refused request, as the training and eval APIs
 * write them.
 *
 * @param field the request field at fault, when there is one
 */
public record Problem(String type, String title, int status, String detail, String field) {

    public static final String MEDIA_TYPE = ProblemShape.MEDIA_TYPE;

    public static Response response(int status, String title, String detail, String field) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, field)).build();
    }
}
