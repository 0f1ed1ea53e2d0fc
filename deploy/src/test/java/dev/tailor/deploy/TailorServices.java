package dev.tailor.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/** The five services and the web console, and the HTTP port each listens on (DESIGN.md, prod profile). */
final class TailorServices {
    static final Map<String, Integer> PORTS;

    static {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("ingest-service", 8081);
        ports.put("cleaning-service", 8082);
        ports.put("training-service", 8083);
        ports.put("eval-service", 8084);
        ports.put("inference-service", 8085);
        ports.put("console-service", 8080);
        PORTS = Map.copyOf(ports);
    }

    static final String CONFIG_MAP = "tailor-config";
    static final String S3_SECRET = "tailor-s3-credentials";

    private TailorServices() {
    }

    static String image(String service) {
        return "tailor/" + service + ":0.1.0-SNAPSHOT";
    }
}
