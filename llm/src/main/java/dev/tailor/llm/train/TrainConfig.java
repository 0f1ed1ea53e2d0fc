package dev.tailor.llm.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything a training run needs to know, validated on construction. Mirrors
 * {@code dev.tailor.common.events.TrainingParams} (llm does not depend on common), plus
 * {@code checkpointEvery}.
 *
 * @param method "lora" (only adapter weights train, base frozen) or "full"
 * @param maxSteps optimizer steps; 0 = derive from {@code epochs}
 * @param batchSize examples per micro-batch
 * @param gradientAccumulation micro-batches per optimizer step
 * @param maxSeqLength longer examples are cut to this many tokens
 * @param warmupRatio fraction of total steps with a linear warm-up
 * @param scheduler "cosine", "linear" or "constant" after warm-up
 * @param maxGradNorm global gradient-norm clip; 0 = no clipping
 * @param evalEvery validation loss every N steps (and at the end); 0 = only at the end
 * @param earlyStoppingPatience stop after this many validations without improvement; 0 = never
 * @param packing concatenate short examples into rows of up to maxSeqLength tokens
 * @param checkpointEvery save a resumable checkpoint every N steps; 0 = none
 */
public record TrainConfig(
        String method,
        int loraRank,
        double loraAlpha,
        double loraDropout,
        List<String> targetModules,
        int epochs,
        int maxSteps,
        double learningRate,
        int batchSize,
        int gradientAccumulation,
        int maxSeqLength,
        double warmupRatio,
        String scheduler,
        double weightDecay,
        double maxGradNorm,
        long seed,
        int evalEvery,
        int earlyStoppingPatience,
        boolean packing,
        int checkpointEvery) {

    public static final Set<String> PROJECTIONS =
            Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public TrainConfig {
        method = method == null ? "lora" : method.toLowerCase(Locale.ROOT);
        scheduler = scheduler == null ? "cosine" : scheduler.toLowerCase(Locale.ROOT);
        targetModules = targetModules == null ? List.of("q_proj", "v_proj") : List.copyOf(targetModules);
        require(method.equals("lora") || method.equals("full"),
                "method must be \"lora\" or \"full\", got \"" + method + "\"");
        if (method.equals("lora")) {
            require(loraRank >= 1 && loraRank <= 256,
                    "loraRank must be between 1 and 256 for method=lora, got " + loraRank);
            require(loraAlpha > 0, "loraAlpha must be > 0 (typically 2 x loraRank), got " + loraAlpha);
            require(loraDropout >= 0 && loraDropout < 1, "loraDropout must be in [0, 1), got " + loraDropout);
            require(!targetModules.isEmpty(), "targetModules must name at least one of " + PROJECTIONS);
            for (String t : targetModules) {
                require(PROJECTIONS.contains(t), "targetModules: unknown projection \"" + t + "\"; use any of " + PROJECTIONS);
            }
        }
        require(epochs >= 1 || maxSteps >= 1, "set epochs >= 1 or maxSteps >= 1, got epochs=" + epochs + ", maxSteps=" + maxSteps);
        require(epochs >= 0 && epochs <= 1000, "epochs must be between 0 and 1000, got " + epochs);
        require(maxSteps >= 0, "maxSteps must be >= 0 (0 = derive from epochs), got " + maxSteps);
        require(learningRate > 0 && learningRate <= 1, "learningRate must be in (0, 1], got " + learningRate);
        require(batchSize >= 1 && batchSize <= 4096, "batchSize must be between 1 and 4096, got " + batchSize);
        require(gradientAccumulation >= 1 && gradientAccumulation <= 1024,
                "gradientAccumulation must be between 1 and 1024, got " + gradientAccumulation);
        require(maxSeqLength >= 2 && maxSeqLength <= 1 << 17, "maxSeqLength must be between 2 and 131072, got " + maxSeqLength);
        require(warmupRatio >= 0 && warmupRatio < 1, "warmupRatio must be in [0, 1), got " + warmupRatio);
        require(Set.of("cosine", "linear", "constant").contains(scheduler),
                "scheduler must be \"cosine\", \"linear\" or \"constant\", got \"" + scheduler + "\"");
        require(weightDecay >= 0 && weightDecay < 1, "weightDecay must be in [0, 1), got " + weightDecay);
        require(maxGradNorm >= 0, "maxGradNorm must be >= 0 (0 = no clipping), got " + maxGradNorm);
        require(evalEvery >= 0, "evalEvery must be >= 0 (0 = only at the end), got " + evalEvery);
        require(earlyStoppingPatience >= 0, "earlyStoppingPatience must be >= 0 (0 = off), got " + earlyStoppingPatience);
        require(checkpointEvery >= 0, "checkpointEvery must be >= 0 (0 = no checkpoints), got " + checkpointEvery);
    }

    /** The defaults of the platform: LoRA r=8 alpha=16 on q,v; 2 epochs; lr 2e-3; batch 8; cosine. */
    public static TrainConfig defaults() {
        return new TrainConfig("lora", 8, 16, 0.05, List.of("q_proj", "v_proj"), 2, 0, 2e-3, 8, 1, 256,
                0.1, "cosine", 0.0, 1.0, 42, 20, 0, false, 50);
    }

    /**
     * This config overridden by a flat YAML (or JSON) file of parameters, e.g. {@code learning_rate: 2e-4}.
     */
    public TrainConfig withFile(java.nio.file.Path file) {
        try {
            Map<String, Object> m = new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(file.toFile(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            return m == null ? this : with(m);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read training parameters from " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean isLora() {
        return method.equals("lora");
    }

    /** This config with the given fields replaced; keys are the record's names or their snake_case forms. */
    public TrainConfig with(Map<String, ?> overrides) {
        Map<String, Object> m = toMap();
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            String key = camel(e.getKey());
            if (!m.containsKey(key)) {
                throw new IllegalArgumentException("unknown training parameter \"" + e.getKey() + "\"; known: " + m.keySet());
            }
            if (e.getValue() != null) {
                m.put(key, e.getValue());
            }
        }
        return fromMap(m);
    }

    /** {@code with("learningRate", 1e-4, "batchSize", 4)}: pairs of key and value. */
    public TrainConfig with(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("with(...) takes key/value pairs, got " + keysAndValues.length + " arguments");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        return with(m);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("loraRank", loraRank);
        m.put("loraAlpha", loraAlpha);
        m.put("loraDropout", loraDropout);
        m.put("targetModules", targetModules);
        m.put("epochs", epochs);
        m.put("maxSteps", maxSteps);
        m.put("learningRate", learningRate);
        m.put("batchSize", batchSize);
        m.put("gradientAccumulation", gradientAccumulation);
        m.put("maxSeqLength", maxSeqLength);
        m.put("warmupRatio", warmupRatio);
        m.put("scheduler", scheduler);
        m.put("weightDecay", weightDecay);
        m.put("maxGradNorm", maxGradNorm);
        m.put("seed", seed);
        m.put("evalEvery", evalEvery);
        m.put("earlyStoppingPatience", earlyStoppingPatience);
        m.put("packing", packing);
        m.put("checkpointEvery", checkpointEvery);
        return m;
    }

    private static TrainConfig fromMap(Map<String, Object> m) {
        return new TrainConfig(str(m, "method"), integer(m, "loraRank"), dbl(m, "loraAlpha"), dbl(m, "loraDropout"),
                list(m.get("targetModules")), integer(m, "epochs"), integer(m, "maxSteps"), dbl(m, "learningRate"),
                integer(m, "batchSize"), integer(m, "gradientAccumulation"), integer(m, "maxSeqLength"),
                dbl(m, "warmupRatio"), str(m, "scheduler"), dbl(m, "weightDecay"), dbl(m, "maxGradNorm"),
                (long) num(m, "seed"), integer(m, "evalEvery"), integer(m, "earlyStoppingPatience"),
                bool(m.get("packing")), integer(m, "checkpointEvery"));
    }

    private static String camel(String key) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : key.trim().toCharArray()) {
            if (c == '_' || c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    private static String str(Map<String, Object> m, String k) {
        return String.valueOf(m.get(k));
    }

    private static double num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " must be a number, got \"" + v + "\"");
        }
    }

    private static int integer(Map<String, Object> m, String k) {
        double d = num(m, k);
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(k + " must be a whole number, got " + m.get(k));
        }
        return (int) d;
    }

    private static double dbl(Map<String, Object> m, String k) {
        return num(m, k);
    }

    private static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("packing must be true or false, got \"" + v + "\"");
        }
        return s.equals("true");
    }

    private static List<String> list(Object v) {
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).map(String::trim).toList();
        }
        return List.of(String.valueOf(v).split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
