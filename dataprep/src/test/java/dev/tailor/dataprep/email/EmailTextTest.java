package dev.tailor.dataprep.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The e-mail conventions, one style at a time; the lines are as written in the SpamAssassin public corpus. */
class EmailTextTest {
    private static EmailText.Cleaned clean(String body) {
        return EmailText.apply(body, null, true);
    }

    @Test
    void quoteStylesAndTheirAttributionLinesAreRemoved() {
        EmailText.Cleaned c = clean("On Sat, Jul 20, 2002 at 08:48:30PM +0100 or so it is rumoured hereabouts,\nJohn Gay thought:\n"
                + "> I have some WAV files\n> that xmms cannot play\n\nNo idea if it can do these ones but mxv has lots of configurables.");
        assertEquals("No idea if it can do these ones but mxv has lots of configurables.", c.text());
        assertEquals(Set.of("quoted", "attribution"), c.rules());
        assertEquals("I use rsync.", clean("Niall asked:\n| how do I copy a tree\n| keeping links?\nI use rsync.").text());
        assertEquals("Agreed.", clean("Justin Mason said:\nJM> the rules are\nJM> updated nightly\nAgreed.").text());
        assertEquals("Ja, das geht.", clean("Am 12.08.2002 schrieb Hans Müller <hm@example.de>:\n> Geht das?\nJa, das geht.").text());
        assertEquals("Oui.", clean("Le 12 août 2002, Jean a écrit :\n> Ça marche ?\nOui.").text());
        assertEquals("Sí.", clean("El 12/08/2002, Ana escribió:\n> ¿Funciona?\nSí.").text());
        assertEquals("Try this.", clean("Kevin Lyda said:\n\nTry this.").text(), "an attribution line without a quotation too");
        assertEquals("Yes.\n\nIt works.", clean("Yes.\n<snip>\n\nIt works.").text());
    }

    @Test
    void aTableRowIsNotAQuotation() {
        String table = "The options:\n| -v | verbose |\n| -q | quiet |";
        assertEquals(table, clean(table).text());
    }

    @Test
    void quotedHeaderBlocksAndOriginalMessagesAreCut() {
        assertEquals("Fixed in 2.43.", clean("Fixed in 2.43.\n\n-----Original Message-----\nFrom: Bob\nSent: Monday\n\nIt crashes.").text());
        EmailText.Cleaned c = clean("See below.\n\nDate: Mon, 19 Aug 2002 10:00:00 +0100\nFrom: Matt <m@example.com>\n"
                + "Message-ID: <1@example.com>\n\nthe forwarded text");
        assertEquals("See below.", c.text());
        assertEquals(Set.of("original-message"), c.rules());
        assertEquals("the body", clean("From: Matt <m@example.com>\nSubject: hi\n\nthe body").text(), "headers at the start go alone");
    }

    @Test
    void signaturesFootersAndSignOffsAreRemoved() {
        assertEquals("Use fsck.", clean("Use fsck.\n\n-- \nIrish Linux Users' Group: ilug@linux.ie\nhttp://www.linux.ie/mailman/listinfo/ilug").text());
        assertEquals("Use fsck.", clean("Use fsck.\n\nSent from my iPhone").text());
        assertEquals("Use fsck.", clean("Use fsck.\n\n_______________________________________________\n"
                + "Spamassassin-talk mailing list\nSpamassassin-talk@lists.sourceforge.net\n"
                + "https://lists.sourceforge.net/lists/listinfo/spamassassin-talk").text());
        assertEquals("Use fsck.", clean("Use fsck.\n\n-------------------------------------------------------\n"
                + "This sf.net email is sponsored by: OSDN - Tired of that same old cell phone?").text());
        assertEquals("Use fsck.", clean("Use fsck.\n\nThanks, Peter").text());
        assertEquals("Use fsck.", clean("Use fsck.\n\nCheers,\njr").text());
        assertEquals("Use fsck.", clean("Use fsck.\n\nCheers,\n\n\tJohn Gay").text());
        assertEquals("Use fsck.", clean("Use fsck.\n\nMit freundlichen Grüßen\nHans").text());
        EmailText.Cleaned named = EmailText.apply("Use fsck.\n\nNiall", "Niall O Broin <niall@linux.ie>", true);
        assertEquals("Use fsck.", named.text());
        assertEquals("Use fsck.\n\nNiall", clean("Use fsck.\n\nNiall").text(), "a name alone only when the sender is known");
        assertEquals("Use fsck.", EmailText.apply("Use fsck.\n\n- Matthew", "Matthew French <matthew@example.ie>", true).text());
        assertEquals("Use fsck.", EmailText.apply("Use fsck.\n\nL.", "Liam Bedford <lbedford@example.ie>", true).text());
        assertEquals("Use fsck.\n\nDone.", EmailText.apply("Use fsck.\n\nDone.", "Niall O Broin <niall@linux.ie>", true).text());
        assertEquals("Thanks, Peter", clean("Thanks, Peter").text(), "a body that is only a closing is kept");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "Run the following:\n\n    make install\n\nThen restart. Regards are not needed here.";
        EmailText.Cleaned c = clean(text);
        assertEquals(text.replace("    make", "make"), c.text().replace("    make", "make"));
        assertTrue(c.rules().isEmpty(), c.rules().toString());
        assertFalse(clean("The manual said: use -r.").rules().contains("attribution"));
    }
}
