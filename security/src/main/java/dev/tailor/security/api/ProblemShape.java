package dev.tailor.security.api;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** RFC 7807 {@code application/problem+json}: the error shape of every API except inference's OpenAI one. */
@ApplicationScoped
@DefaultBean
public class ProblemShape implements ErrorShape {
    public static final String MEDIA_TYPE = "application/problem+json";

    @Override
    public Response error(int status, String title, String detail, String code) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "https://tailor.dev/problems/" + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        p.put("code", code);
        return Response.status(status).type(MEDIA_TYPE).entity(p).build();
    }
}
