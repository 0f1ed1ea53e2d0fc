package dev.tailor.eval.domain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PythonTextTest {

    /**
     * Every code point for which CPython 3.11's {@code str.isspace()} is true (metric-references/references.txt,
     * "Python str.isspace code points").
     */
    private static final int[] PYTHON_SPACES = {0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0,
        0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
        0x2029, 0x202f, 0x205f, 0x3000};

    @Test
    void whitespaceIsPythonsOverAllOfUnicode() {
        List<Integer> ours = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (PythonText.isSpace(cp)) {
                ours.add(cp);
            }
        }
        List<Integer> python = new ArrayList<>();
        for (int cp : PYTHON_SPACES) {
            python.add(cp);
        }
        assertEquals(python, ours);
    }

    @Test
    void splitDropsEmptyPiecesLikePythonStrSplit() {
        assertEquals(List.of("a", "b", "c"), PythonText.split("  a\u00a0b\u2028\tc \u0085"));
        assertEquals(List.of(), PythonText.split(" \n "));
        assertEquals(List.of("\uD83D\uDE00x", "y"), PythonText.split("\uD83D\uDE00x\u3000y"));
        assertEquals("abc", PythonText.removeSpaces(" a b\u00a0c "));
    }
}
