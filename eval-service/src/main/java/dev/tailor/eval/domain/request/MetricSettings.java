package dev.tailor.eval.domain.request;

import dev.tailor.eval.domain.metrics.Chrf;
import dev.tailor.eval.domain.stats.PairedBootstrap;
import java.util.Locale;

/**
 * How the metrics are computed.
 *
 * @param chrf       {@code chrF} (sacreBLEU's default, the default here) or {@code chrF++} (word bigrams too)
 * @param embeddings whether to compute the cosine of sentence embeddings (all-MiniLM-L6-v2; default true)
 * @param resamples  paired bootstrap resamples, at least 1,000 (default 10,000)
 * @param seed       seed of the bootstrap (default: {@link PairedBootstrap#DEFAULT_SEED})
 */
public record MetricSettings(String chrf, Boolean embeddings, Integer resamples, Long seed) {
    public static final MetricSettings DEFAULT = new MetricSettings(null, null, null, null);

    public MetricSettings {
        chrf = chrf == null ? "chrF" : chrf;
        embeddings = embeddings == null || embeddings;
        resamples = resamples == null ? PairedBootstrap.DEFAULT_RESAMPLES : resamples;
        seed = seed == null ? PairedBootstrap.DEFAULT_SEED : seed;
        variant(chrf);
        if (resamples < 1_000 || resamples > 1_000_000) {
            throw new IllegalArgumentException("metrics.resamples must be in 1,000..1,000,000, got " + resamples);
        }
    }

    /** The chrF variant named. */
    public Chrf chrfVariant() {
        return variant(chrf);
    }

    /** The bootstrap at {@code confidence} (the gate's). */
    public PairedBootstrap bootstrap(double confidence) {
        return new PairedBootstrap(resamples, confidence, seed);
    }

    private static Chrf variant(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "chrf" -> Chrf.CHRF;
            case "chrf++", "chrfpp" -> Chrf.CHRF_PLUS_PLUS;
            default -> throw new IllegalArgumentException("metrics.chrf must be \"chrF\" or \"chrF++\", got \""
                    + name + "\"");
        };
    }
}
