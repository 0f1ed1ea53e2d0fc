package dev.tailor.eval.domain.metrics;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/** The metric values of one answer (one model on one example): each a finite number, missing metrics absent. */
public record MetricValues(Map<Metric, Double> values) {
    public static final MetricValues NONE = new MetricValues(Map.of());

    public MetricValues {
        EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
        for (Map.Entry<Metric, Double> e : values.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("metric values must be finite numbers, got " + e.getKey() + "="
                        + e.getValue());
            }
            copy.put(e.getKey(), e.getValue());
        }
        values = Collections.unmodifiableMap(copy);
    }

    public OptionalDouble find(Metric metric) {
        Double v = values.get(metric);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The value of {@code metric}; fails when it was not measured. */
    public double get(Metric metric) {
        Double v = values.get(metric);
        if (v == null) {
            throw new IllegalArgumentException(metric.label() + " was not measured for this answer");
        }
        return v;
    }

    public boolean has(Metric metric) {
        return values.containsKey(metric);
    }

    /** These values plus {@code metric = value} (replacing an earlier value). */
    public MetricValues with(Metric metric, double value) {
        EnumMap<Metric, Double> m = new EnumMap<>(Metric.class);
        m.putAll(values);
        m.put(metric, value);
        return new MetricValues(m);
    }
}
