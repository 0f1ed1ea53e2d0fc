package dev.tailor.e2e;

import dev.tailor.cli.demo.TailorService;
import java.util.EnumMap;
import java.util.Map;

/**
 * Service settings of the end-to-end run, passed as system properties to each service process: a short
 * training on the tiny fixture so the test stays fast. Nothing here changes what the pipeline asserts.
 */
final class E2eSettings {

    private E2eSettings() {
    }

    static Map<TailorService, Map<String, String>> perService() {
        Map<TailorService, Map<String, String>> m = new EnumMap<>(TailorService.class);
        return m;
    }
}
