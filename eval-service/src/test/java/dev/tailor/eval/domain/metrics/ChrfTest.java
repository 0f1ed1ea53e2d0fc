package dev.tailor.eval.domain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against sacreBLEU: its own test vectors (test/test_chrf.py at commit f615c728, Apache-2.0, EPSILON = 1e-4 as
 * there) and, for the defaults and chrF++, values computed with that checkout (metric-references/references.txt).
 */
class ChrfTest {
    private static final double EPSILON = 1e-4;
    /** test_chrf.py runs these with char_order=6, word_order=0, beta=3. */
    private static final Chrf BETA3_EPS = new Chrf(6, 0, 3, true, false);
    private static final Chrf BETA3_EFFECTIVE = new Chrf(6, 0, 3, false, false);
    private static final Chrf BETA3_KEEP_SPACE = new Chrf(6, 0, 3, false, true);

    @Test
    void testCasesWithEpsilonSmoothing() {
        // test_cases: corpus_chrf(hyps, [refs], char_order=6, word_order=0, beta=3, eps_smoothing=True)
        corpus(BETA3_EPS, List.of("abcdefg"), List.of("hijklmnop"), 0.0);
        corpus(BETA3_EPS, List.of("a"), List.of("b"), 0.0);
        corpus(BETA3_EPS, List.of(""), List.of("b"), 0.0);
        corpus(BETA3_EPS, List.of(""), List.of("ref"), 0.0);
        corpus(BETA3_EPS, List.of(""), List.of("reference"), 0.0);
        corpus(BETA3_EPS, List.of("aa"), List.of("ab"), 8.3333);
        corpus(BETA3_EPS, List.of("a", "b"), List.of("a", "c"), 8.3333);
        corpus(BETA3_EPS, List.of("a"), List.of("a"), 16.6667);
        corpus(BETA3_EPS, List.of("a b c"), List.of("a b c"), 50.0);
        corpus(BETA3_EPS, List.of("a b c"), List.of("abc"), 50.0);
        corpus(BETA3_EPS, List.of(" risk assessment must be made of those who are qualified and expertise in the "
                        + "sector - these are the scientists ."),
                List.of("risk assessment has to be undertaken by those who are qualified and expert in that area - "
                        + "that is the scientists ."), 63.361730);
        corpus(BETA3_EPS, List.of(" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "),
                List.of("Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."), 64.1302698);
        corpus(BETA3_EPS, List.of("Niemand hat die Absicht, eine Mauer zu errichten"),
                List.of("Niemand hat die Absicht, eine Mauer zu errichten"), 100.0);
    }

    @Test
    void testCasesWithEffectiveOrder() {
        // test_cases_effective_order: eps_smoothing=False (sacreBLEU < 2.0 behaviour, and the 2.x default)
        corpus(BETA3_EFFECTIVE, List.of("a"), List.of("a"), 100.0);
        corpus(BETA3_EFFECTIVE, List.of(""), List.of("reference"), 0.0);
        corpus(BETA3_EFFECTIVE, List.of("a b c"), List.of("a b c"), 100.0);
        corpus(BETA3_EFFECTIVE, List.of("a b c"), List.of("abc"), 100.0);
        corpus(BETA3_EFFECTIVE, List.of(""), List.of("c"), 0.0);
        corpus(BETA3_EFFECTIVE, List.of("a", "b"), List.of("a", "c"), 50.0);
        corpus(BETA3_EFFECTIVE, List.of("aa"), List.of("ab"), 25.0);
    }

    @Test
    void testCasesKeepingWhitespace() {
        // test_cases_keep_whitespace: remove_whitespace=False
        corpus(BETA3_KEEP_SPACE, List.of("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."),
                List.of("Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."), 67.3481606);
        corpus(BETA3_KEEP_SPACE, List.of("risk assessment must be made of those who are qualified and expertise in "
                        + "the sector - these are the scientists ."),
                List.of("risk assessment has to be undertaken by those who are qualified and expert in that area - "
                        + "that is the scientists ."), 65.2414427);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře. | Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře. | 39.14078509
            Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři. | A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři. | 31.22557079
            Lapali po dechu, jejich životy skončily dřív, než skutečně začaly. | Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli. | 57.15704367
            """)
    void sentenceLevelTestVectors(String hypothesis, String reference, double expected) {
        // test_sentence_level_chrf: sentence_chrf(hyp, refs, eps_smoothing=True), other settings sacreBLEU's defaults
        assertEquals(expected, new Chrf(6, 0, 2, true, false).sentence(hypothesis, reference), EPSILON);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře. | Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře. | 39.14081690316369 | 40.3769131075315
            Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři. | A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři. | 31.225641469352972 | 28.927323825104185
            Lapali po dechu, jejich životy skončily dřív, než skutečně začaly. | Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli. | 57.157427512824064 | 54.134581828446215
            To reset your password, open Settings and choose Security. | Open Settings, then Security, and click "Reset password". | 48.856062822909 | 41.94422800579783
            Use INTEGER PRIMARY KEY (no AUTOINCREMENT needed). | Declare the column INTEGER PRIMARY KEY; AUTOINCREMENT is rarely needed. | 52.17904674535614 | 47.02394509543604
            a | b | 0.0 | 0.0
            '' | reference | 0.0 | 0.0
            """)
    void defaultsAndChrfPlusPlusMatchSacrebleu(String hypothesis, String reference, double chrf, double chrfPlusPlus) {
        // sentence_chrf(hyp, [ref]) and sentence_chrf(hyp, [ref], word_order=2) with sacreBLEU at f615c728
        assertEquals(chrf, Chrf.CHRF.sentence(hypothesis, reference), 1e-9);
        assertEquals(chrfPlusPlus, Chrf.CHRF_PLUS_PLUS.sentence(hypothesis, reference), 1e-9);
    }

    @Test
    void bestOfSeveralReferencesAndPunctuationSplitting() {
        double alone = Chrf.CHRF.sentence("the cat sat", "a dog ran");
        double best = Chrf.CHRF.sentence("the cat sat", List.of("a dog ran", "the cat sat"));
        assertEquals(100.0, best, 1e-9);
        assertEquals(alone, Chrf.CHRF.sentence("the cat sat", List.of("a dog ran")), 0);
        // sacreBLEU's _remove_punctuation: '(hi)' splits into '(hi' and ')' (its issue #124), single characters stay
        assertEquals(List.of("(hi", ")", "end", ".", "-", "(", "x"), Chrf.splitPunctuation("(hi) end. - (x"));
    }

    @Test
    void rejectsImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Chrf(0, 0, 2, false, false));
        assertThrows(IllegalArgumentException.class, () -> new Chrf(6, 0, 0, false, false));
        assertThrows(IllegalArgumentException.class, () -> Chrf.CHRF.corpus(List.of("a"), List.of()));
    }

    private static void corpus(Chrf chrf, List<String> hyps, List<String> refs, double expected) {
        assertEquals(expected, chrf.corpus(hyps, refs), EPSILON, () -> hyps + " vs " + refs);
    }
}
