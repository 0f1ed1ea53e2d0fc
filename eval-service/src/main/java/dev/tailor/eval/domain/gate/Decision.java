package dev.tailor.eval.domain.gate;

/** The gate's decision on a tuned model. */
public enum Decision {
    PROMOTE,
    REJECT
}
