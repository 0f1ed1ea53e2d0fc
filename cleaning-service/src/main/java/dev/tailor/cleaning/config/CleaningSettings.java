package dev.tailor.cleaning.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Service-wide cleaning defaults ({@code tailor.cleaning.*}); a dataset may override them (see CleaningRunner). */
@ConfigMapping(prefix = "tailor.cleaning")
public interface CleaningSettings {
    /** Share of examples in train.jsonl; train + validation + test ratios must sum to 1. */
    @WithDefault("0.8")
    double trainRatio();

    /** Share of examples in validation.jsonl. */
    @WithDefault("0.1")
    double validationRatio();

    /** Share of examples in test.jsonl. */
    @WithDefault("0.1")
    double testRatio();

    /** System message prepended to chat examples that have none. */
    Optional<String> systemPrompt();

    /** Replace e-mail addresses, phone numbers, cards, IBANs and IPs with typed placeholders. */
    @WithDefault("true")
    boolean redactPii();

    /** Drop near-duplicates (MinHash + LSH). */
    @WithDefault("true")
    boolean nearDuplicates();

    /** Estimated Jaccard similarity at or above which two examples are near-duplicates. */
    @WithDefault("0.85")
    double nearDuplicateThreshold();

    /** Any other cleaning settings as a JSON object (the JSON form of dev.tailor.dataprep.config.CleaningConfig, nested or flat), applied last. */
    Optional<String> overrides();

    /**
     * The base model whose tokenizer and chat template the profile counts tokens with when the upload names none (its
     * training options' baseModel wins); the training service's default base model. Unset: lengths in characters.
     */
    Optional<String> defaultBaseModel();

    /** Local directory for the splits while they are written, before upload. */
    @WithDefault("${tailor.tmp.dir}/cleaning")
    String workDir();
}
