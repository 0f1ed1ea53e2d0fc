package dev.tailor.dataprep.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {
    @Test
    void replacesEachTypeWithItsPlaceholder() {
        PiiRedactor r = new PiiRedactor(Map.of("ticket", "TCK-\\d{6}"));
        String out = r.redact("Mail justin.mason@example.org or call +353 1 234 5678 from 192.168.1.10; "
                + "card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, ref TCK-123456.");
        assertEquals("Mail <EMAIL> or call <PHONE> from <IP>; card <CARD>, IBAN <IBAN>, ref <TICKET>.", out);
        assertEquals(1L, r.counts().get("EMAIL"));
        assertEquals(1L, r.counts().get("CARD"));
    }

    @Test
    void keepsNumbersThatAreNotPersonalData() {
        PiiRedactor r = new PiiRedactor(Map.of());
        String text = "Version 3.40.1 released 2024-01-02 at [2002-08-29 11:00:12 +0100]; order 4111 1111 1111 1112 failed the Luhn check.";
        assertEquals(text, r.redact(text));
        assertTrue(r.counts().isEmpty(), r.counts().toString());
    }

    /** Numbers as written in signatures in the SpamAssassin public corpus (see src/test/resources/data/spam/README.md). */
    @Test
    void internationalNumbersInAnyGroupingAreRedacted() {
        PiiRedactor r = new PiiRedactor(Map.of());
        assertEquals("Ph <PHONE> Fax <PHONE>; tel <PHONE>, fax <PHONE>; FAX/Voice <PHONE>; Tél : <PHONE>",
                r.redact("Ph +353 1 8064276 Fax +353 1 4334301; tel +44 (0)1483 301793, fax +44 (0)1483 561657;"
                        + " FAX/Voice +49 697912 39550; Tél : 01 46 42 43 02"));
        assertEquals(6L, r.counts().get("PHONE"));
    }

    @Test
    void checksums() {
        assertTrue(PiiRedactor.luhnValid("4111111111111111"));
        assertFalse(PiiRedactor.luhnValid("4111111111111112"));
        assertTrue(PiiRedactor.ibanValid("GB82WEST12345698765432"));
        assertFalse(PiiRedactor.ibanValid("GB82WEST12345698765433"));
    }
}
