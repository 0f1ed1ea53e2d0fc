package dev.tailor.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Settings of the OpenAI-compatible server ({@code tailor.inference.*}). */
@ConfigMapping(prefix = "tailor.inference")
public interface InferenceSettings {

    /** Base models loaded at startup and served as they are, each as {@code {tenant}/{name}} (under the tenant's {@code models/base/}). */
    Optional<List<String>> baseModels();

    /** {@code max_tokens} when a request gives none (capped by the model's context length). */
    @WithDefault("256")
    int defaultMaxTokens();

    /** Largest {@code max_tokens} a request may ask for. */
    @WithDefault("4096")
    int maxTokensLimit();

    /** Tuned models kept loaded; beyond this the least recently used one without an alias is unloaded. */
    @WithDefault("16")
    int maxTunedModels();

    /** Local folder where base models and adapters are downloaded. */
    @WithDefault("${tailor.tmp.dir}/inference")
    String cacheDir();
}
