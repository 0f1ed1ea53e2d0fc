package dev.tailor.eval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the eval service ({@code tailor.eval.*}). */
@ConfigMapping(prefix = "tailor.eval")
public interface EvalSettings {

    /**
     * Default evaluation settings as JSON (generation, metrics, judge, gate, slices, generalText, maxExamples; see
     * {@code EvalOptions}); a dataset upload, a training job or a POST /v1/evaluations may set any of them again.
     * Empty: greedy answers of up to 128 tokens, every metric, no judge, the careful gate.
     */
    Optional<String> options();

    /** Bearer key for a judge whose settings carry none (so that keys need not travel with jobs or uploads). */
    Optional<String> judgeApiKey();

    /** Examples are cut to this many tokens when scoring loss. */
    @WithDefault("512")
    int maxSeqLength();

    /** Evaluations asked over the API that may wait for their turn (one runs at a time). */
    @WithDefault("32")
    int maxQueued();

    /** Local folder where base models and adapters are downloaded. */
    @WithDefault("${tailor.tmp.dir}/eval")
    String cacheDir();

    /** This service's own URL as callers reach it, for links to reports (e.g. http://127.0.0.1:8084). */
    Optional<String> publicUrl();
}
