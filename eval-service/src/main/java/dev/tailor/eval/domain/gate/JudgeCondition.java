package dev.tailor.eval.domain.gate;

/**
 * When an LLM judge ran: the tuned model's win rate over the base (ties count half) minus ½ — its win-rate gain —
 * must be above {@code minWinRateGain}, on the mean or the lower confidence bound.
 *
 * @param on              mean or lower bound of the win-rate gain (default: lower bound)
 * @param minWinRateGain  threshold in [-0.5, 0.5) (0 = the tuned model is preferred more often than not; default 0)
 * @param replacesMetrics when a judge ran, check this instead of the metric conditions (true, the default) or as
 *                        well (false)
 */
public record JudgeCondition(Bound on, Double minWinRateGain, Boolean replacesMetrics) {

    public JudgeCondition {
        on = on == null ? Bound.LOWER_BOUND : on;
        minWinRateGain = minWinRateGain == null ? 0.0 : minWinRateGain;
        replacesMetrics = replacesMetrics == null || replacesMetrics;
        if (!(minWinRateGain >= -0.5 && minWinRateGain < 0.5)) {
            throw new IllegalArgumentException("judge.minWinRateGain must be in [-0.5, 0.5), e.g. 0 for 'preferred "
                    + "more often than not'; got " + minWinRateGain);
        }
    }
}
