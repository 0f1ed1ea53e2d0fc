package dev.tailor.eval.domain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against SQuAD v1.1's official evaluate-v1.1.py (allenai/bi-att-flow squad/evaluate-v1.1.py at 49004549): the
 * values in metric-references/references.txt, section "SQuAD v1.1".
 */
class SquadAnswerTest {

    @ParameterizedTest(name = "{0} | {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            The Eiffel Tower                   | eiffel tower                 | eiffel tower                     | 1 | 1.0
            Denver Broncos                     | Denver Broncos won           | denver broncos                   | 0 | 0.8
            an apple a day                     | the apple                    | apple day                        | 0 | 0.6666666666666666
            Hello, World!                      | hello world                  | hello world                      | 1 | 1.0
            the cat the cat                    | cat                          | cat cat                          | 0 | 0.6666666666666666
            'It''s 5 p.m.'                     | its 5 pm                     | its 5 pm                         | 1 | 1.0
            Théâtre «national»                 | théâtre national             | théâtre «national»               | 0 | 0.5
            a                                  | the                          | ''                               | 1 | 0.0
            ''                                 | ''                           | ''                               | 1 | 0.0
            Run `apt-get install sqlite3` first | run apt-get install sqlite3 | run aptget install sqlite3 first | 0 | 0.888888888888889
            Use VACUUM; then ANALYZE           | Use ANALYZE then VACUUM      | use vacuum then analyze          | 0 | 1.0
            answer_with_underscore an_apple    | answerwithunderscore anapple | answerwithunderscore anapple     | 1 | 1.0
            """)
    void matchesTheOfficialScript(String prediction, String reference, String normalized, int exact, double f1) {
        assertEquals(normalized, SquadAnswer.normalize(prediction));
        assertEquals(exact, SquadAnswer.exactMatch(prediction, reference));
        assertEquals(f1, SquadAnswer.tokenF1(prediction, reference), 1e-12);
    }
}
