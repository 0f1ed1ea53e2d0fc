package dev.tailor.cli.remote;

import java.util.Locale;

/** The five services a CLI verb talks to, with the port each has on a local stack. */
public enum Service {
    INGEST(8081), CLEANING(8082), TRAINING(8083), EVAL(8084), INFERENCE(8085);

    private final int localPort;

    Service(int localPort) {
        this.localPort = localPort;
    }

    /** {@code ingest}, {@code training}…: the name in flags ({@code --ingest-url}), environment and config keys. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Its URL on a local stack started with the default ports. */
    public String localUrl() {
        return "http://127.0.0.1:" + localPort;
    }
}
