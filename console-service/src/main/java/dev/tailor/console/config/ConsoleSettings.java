package dev.tailor.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The console's settings ({@code tailor.console.*}). */
@ConfigMapping(prefix = "tailor.console")
public interface ConsoleSettings {
    /**
     * {@code tailor.console.services."<name>"}: base URL of each service the console proxies under
     * {@code /api/<name>/…} (ingest, cleaning, training, eval, inference), e.g. {@code http://ingest-service:8081}.
     */
    Map<String, URI> services();

    /** {@code tailor.console.heartbeat}: how often an idle event stream gets a comment line (keeps proxies from cutting it). */
    @WithDefault("15s")
    Duration heartbeat();

    /** {@code tailor.console.proxy-timeout}: how long a proxied request may wait for the service's first byte. */
    @WithDefault("120s")
    Duration proxyTimeout();
}
