package dev.tailor.training.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * Lengths in tokens of a job's train examples, rendered with the job's base model as the worker renders them: from
 * the dataset version's profile when it was counted with that base model at the job's maxSeqLength (the whole split),
 * else counted in preflight ({@link TemplateCheck}, the first examples).
 *
 * @param examples examples counted
 * @param over     of these, longer than maxSeqLength (the worker cuts them)
 * @param median   median length
 * @param p95      95th percentile (nearest rank)
 * @param longest  the longest
 * @param source   where the figures come from, for the warning
 */
public record TrainLengths(long examples, long over, int median, int p95, int longest, String source) {

    /**
     * The train figures of a profile.json ({@code overall.length.train}) when they were counted with {@code baseModel}
     * at {@code maxSeqLength}.
     */
    public static Optional<TrainLengths> fromProfile(com.fasterxml.jackson.databind.JsonNode profile, String baseModel,
                                                     int maxSeqLength) {
        com.fasterxml.jackson.databind.JsonNode length = profile.path("overall").path("length");
        com.fasterxml.jackson.databind.JsonNode train = length.path("train");
        String tokenizer = profile.path("tokenizerName").asText("");
        if (!"tokens".equals(profile.path("lengthUnit").asText()) || !tokenizer.startsWith(baseModel + " (")
                || length.path("maxSeqLength").asInt() != maxSeqLength || !train.has("examples")) {
            return Optional.empty();
        }
        return Optional.of(new TrainLengths(train.path("examples").asLong(), train.path("overMaxSeqLength").asLong(),
                train.path("medianTokens").asInt(), train.path("p95Tokens").asInt(), train.path("maxTokens").asInt(),
                "from the dataset's profile"));
    }

    /** The truncation warning with its numbers, or none when no example is longer than {@code maxSeqLength}. */
    public Optional<String> warning(String model, int maxSeqLength) {
        if (over == 0 || examples == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%,d of %,d train examples (%.0f %%) exceed maxSeqLength %,d tokens; "
                        + "median %,d, p95 %,d, longest %,d (tokens of %s, %s); raise maxSeqLength or split long answers",
                over, examples, 100.0 * over / examples, maxSeqLength, median, p95, longest, model, source));
    }

    /** The nearest-rank percentile of sorted {@code values} (0 when empty). */
    static int percentile(int[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
