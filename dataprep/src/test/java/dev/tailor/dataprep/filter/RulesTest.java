package dev.tailor.dataprep.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.text.MarkupCleaner;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesTest {
    @Test
    void markupLeftoversAreRemoved() {
        assertEquals("See Tutorial and use sqlite3_open().", MarkupCleaner.clean("See :ref:`Tutorial <tut>` and use :c:func:`sqlite3_open()`."));
        assertEquals("Read the docs and press Ctrl+C.\nDone", MarkupCleaner.clean(
                "Read link:https://sqlite.org/docs.html[the docs] and press kbd:[Ctrl+C].<br/>Done"));
        assertEquals("Intro\nMore", MarkupCleaner.clean("Intro\nimage::diagram.png[Architecture]\nMore"));
        String plain = "Time is 10:30, a < b.";
        assertEquals(plain, MarkupCleaner.clean(plain));
    }

    @Test
    void swappedQuestionAndAnswerAreDetected() {
        QualityFilter q = new QualityFilter(CleaningConfig.defaults());
        Example swapped = Example.chat(List.of(new Message("user", "Use the link on the login page to reset it."),
                new Message("assistant", "How do I reset my password?")), SourceRef.line("f", 1));
        RecordRejected r = assertThrows(RecordRejected.class, () -> q.check(swapped));
        assertEquals("swapped-roles", r.rule());
        q.check(Example.chat(List.of(new Message("user", "How do I reset my password?"),
                new Message("assistant", "Use the link on the login page to reset it.")), SourceRef.line("f", 2)));
    }

    @Test
    void repetitionAndSymbolsAreMeasured() {
        assertTrue(QualityFilter.repetition("buy now ".repeat(30)) > 0.9);
        assertEquals(0.0, QualityFilter.repetition("SQLite uses dynamic typing. Content can be stored as INTEGER, REAL, TEXT, BLOB, or as NULL."));
        assertTrue(QualityFilter.symbolRatio("$$$ ### @@@ %%% ^^^ &&&") > 0.5);
    }
}
