package dev.tailor.eval.domain.judge;

/**
 * The judge's comparison of one example, asked in both orders to cancel position bias: first with the tuned
 * model's answer as A, then with it as B. The rationale of each order is kept as the judge wrote it.
 *
 * @param exampleId    the test example
 * @param tunedFirst   verdict with the tuned answer shown as A
 * @param tunedSecond  verdict with the tuned answer shown as B
 * @param rationaleFirst  the judge's reply with the tuned answer as A
 * @param rationaleSecond the judge's reply with the tuned answer as B
 */
public record Judgement(String exampleId, JudgeReply tunedFirst, JudgeReply tunedSecond, String rationaleFirst,
                        String rationaleSecond) {

    public Judgement {
        if (exampleId == null || tunedFirst == null || tunedSecond == null) {
            throw new IllegalArgumentException("a judgement needs the example id and both verdicts");
        }
        rationaleFirst = rationaleFirst == null ? "" : rationaleFirst;
        rationaleSecond = rationaleSecond == null ? "" : rationaleSecond;
    }

    /**
     * How much the judge preferred the tuned answer, averaged over the orders that gave a verdict: 1, ¾, ½, ¼ or 0;
     * NaN when neither order gave one.
     */
    public double preference() {
        double a = tunedFirst.tunedPreference(true);
        double b = tunedSecond.tunedPreference(false);
        if (Double.isNaN(a)) {
            return b;
        }
        return Double.isNaN(b) ? a : (a + b) / 2;
    }

    /** Whether at least one order gave a verdict. */
    public boolean usable() {
        return !Double.isNaN(preference());
    }

    /** Whether the verdict flipped with the order (the judge preferred a position, not an answer). */
    public boolean positionBiased() {
        return tunedFirst != JudgeReply.NONE && tunedFirst == tunedSecond && tunedFirst != JudgeReply.TIE;
    }
}
