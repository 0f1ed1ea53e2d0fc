package dev.tailor.eval.domain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Against google-research rouge-score's own tests: rouge/rouge_scorer_test.py at commit da0c44e0 (Apache-2.0). Note
 * that rouge-score's {@code score(target, prediction)} takes the reference first; ours takes the prediction first.
 */
class RougeLTest {
    /** rouge/testdata/target.txt and prediction.txt at commit 10bf941a, lines 1 and 2 (Apache-2.0). */
    private static final String[] TARGETS = {
        "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr "
            + "q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n",
        "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer "
            + "HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion "
            + "gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n"};
    private static final String[] PREDICTIONS = {
        "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n",
        "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed "
            + "nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n"};

    @Test
    void consecutiveAndNonConsecutive() {
        // testRougeLConsecutive: score("testing one two", "testing one")
        PrecisionRecallF s = RougeL.score("testing one", "testing one two");
        assertEquals(1, s.precision(), 1e-12);
        assertEquals(2.0 / 3, s.recall(), 1e-12);
        assertEquals(4.0 / 5, s.f(), 1e-12);
        // testRougeLNonConsecutive: score("testing one two", "testing two")
        s = RougeL.score("testing two", "testing one two");
        assertEquals(1, s.precision(), 1e-12);
        assertEquals(2.0 / 3, s.recall(), 1e-12);
        assertEquals(4.0 / 5, s.f(), 1e-12);
    }

    @Test
    void emptyPredictionScoresZero() {
        // testRougeEmpty: score("testing one two", "")
        assertEquals(PrecisionRecallF.ZERO, RougeL.score("", "testing one two"));
        assertEquals(PrecisionRecallF.ZERO, RougeL.score("/ -- !", "testing one two")); // all non-word characters
    }

    @Test
    void matchesRouge155OnTheTestData() {
        // testRougeLAgainstRouge155 (values to 5 places)
        PrecisionRecallF s = RougeL.score(PREDICTIONS[0], TARGETS[0]);
        assertEquals(0.40741, s.recall(), 5e-6);
        assertEquals(0.68750, s.precision(), 5e-6);
        assertEquals(0.51163, s.f(), 5e-6);
        s = RougeL.score(PREDICTIONS[1], TARGETS[1]);
        assertEquals(0.40476, s.recall(), 5e-6);
        assertEquals(0.65385, s.precision(), 5e-6);
        assertEquals(0.50000, s.f(), 5e-6);
    }

    @Test
    void tokenizerLowercasesAndKeepsOnlyAsciiLettersAndDigits() {
        assertEquals(List.of("the", "quick", "brown", "dog", "jumps", "on", "the", "log"),
                RougeL.tokenize("The quick brown dog jumps on the log."));
        assertEquals(List.of("caf", "na", "ve", "x2"), RougeL.tokenize("Café naïve\nX2"));
    }

    @Test
    void lcsLengthOfTheRougeScorerTable() {
        // testLcsTable: ref [1, 2, 3, 4, 5], candidate [2, 5, 3, 4] -> 3; [8, 9] -> 0
        assertEquals(3, RougeL.lcsLength(new int[] {1, 2, 3, 4, 5}, new int[] {2, 5, 3, 4}));
        assertEquals(0, RougeL.lcsLength(new int[] {1, 2, 3, 4, 5}, new int[] {8, 9}));
    }
}
