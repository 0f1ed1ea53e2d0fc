package dev.tailor.security.api;

import jakarta.ws.rs.core.Response;

/**
 * How a service's API writes its errors, so that a 401, 403 or 429 looks like every other error of that API: problem
 * details by default ({@link ProblemShape}), OpenAI's error object on the inference service.
 */
public interface ErrorShape {
    /**
     * @param status HTTP status
     * @param title  a short summary, e.g. "Unauthorized"
     * @param detail what was wrong and what to do
     * @param code   a machine-readable code, e.g. {@code invalid_api_key}, {@code rate_limit_exceeded}
     */
    Response error(int status, String title, String detail, String code);
}
