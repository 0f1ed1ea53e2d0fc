package dev.tailor.eval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the evaluation gate ({@code tailor.eval.*}). */
@ConfigMapping(prefix = "tailor.eval")
public interface EvalSettings {

    /** Relative test-loss improvement over the base model needed to promote, e.g. 0.02 = 2 % lower loss. */
    @WithDefault("0.02")
    double minImprovement();

    /** At most this many test examples are scored (the first ones of the split). */
    @WithDefault("500")
    int maxExamples();

    /** Examples are cut to this many tokens when scoring. */
    @WithDefault("512")
    int maxSeqLength();

    /** Greedy samples (base vs tuned, side by side) put into the report. */
    @WithDefault("3")
    int samples();

    /** New tokens per greedy sample. */
    @WithDefault("48")
    int sampleMaxTokens();

    /** Local folder where base models and adapters are downloaded. */
    @WithDefault("${java.io.tmpdir}/tailor-eval")
    String cacheDir();
}
