package dev.tailor.dataprep.source;

import dev.tailor.dataprep.example.Notes;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Plain text and Markdown. Paragraphs (blank-line separated) are gathered into chunks of about
 * {@code chunkChars} characters ({@code {"text"}} examples for continued pretraining). Where the
 * structure shows questions (a heading or one-line paragraph ending in '?' with at least two words, never a table
 * row), the paragraphs up to the next heading or question become the answer of a (question → answer) chat example.
 * Fenced code blocks (between {@code ```} lines) stay whole: a {@code #} comment in them is no heading.
 * With {@code removeBoilerplate}, table-of-contents lines (a title, dot leaders and a page number) are removed and
 * reported to the run's notes.
 */
public final class TextSource implements Iterator<ParseResult> {
    private static final Pattern MARKER = Pattern.compile("^(#{1,6}\\s+|Q:\\s*|\\(\\d+\\)\\s+|\\d+[.)]\\s+|\\d+(?:\\.\\d+)+\\.?\\s+)");
    /** A table-of-contents line: a title, dot leaders (". . . ." or "....." or "…") and a page number. */
    static final Pattern DOT_LEADER = Pattern.compile("^.*\\S(?:\\s*\\.){4,}\\s*(?:\\d{1,4}|[ivxlcdm]{1,7})\\s*$|^.*\\S\\s*…{2,}\\s*\\d{1,4}\\s*$",
            Pattern.CASE_INSENSITIVE);
    /** Two words of letters: "-?" or "?" alone is an option or a symbol, not a question. */
    /** A numbered section ("6.3 ", "12.2.2 ") followed by a capitalised word. */
    private static final Pattern NUMBERED = Pattern.compile("\\d+(?:\\.\\d+)+\\.?\\s+[\\p{Lu}\"“”]");
    /** A section title: words without a sentence end. */
    private static final Pattern SECTION_TITLE = Pattern.compile("[^.!?:;]*[\\p{L}\\p{N})]");
    private static final Pattern GLUED_QUESTION_MARK = Pattern.compile("\\?[\\p{L}\\p{N}_-]");
    private static final Pattern QUESTION_END = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}\"'’”)»]*\\s?\\?$");
    private static final Pattern TWO_WORDS = Pattern.compile("\\p{L}{2,}\\W+\\p{L}+");
    private final LineReader lines;
    private final String file;
    private final int chunkChars;
    private final boolean removeBoilerplate;
    private final boolean strictQuestions;
    private final Notes notes;
    private final Deque<ParseResult> ready = new ArrayDeque<>();
    private final StringBuilder para = new StringBuilder();
    private final StringBuilder chunk = new StringBuilder();
    private String question;
    private long questionLine;
    private long paraLine;
    private long chunkLine;
    private boolean done;
    private boolean inFence;

    public TextSource(InputStream in, String file, int chunkChars, int maxLineBytes) {
        this(in, file, chunkChars, maxLineBytes, false, false, Notes.NONE);
    }

    /**
     * @param removeBoilerplate remove table-of-contents lines (dot leaders and a page number)
     * @param strictQuestions questions only from real question structure ({@code documents.questionsFromStructure})
     * @param notes where removals are reported
     */
    public TextSource(InputStream in, String file, int chunkChars, int maxLineBytes, boolean removeBoilerplate,
                      boolean strictQuestions, Notes notes) {
        this.lines = new LineReader(in, file, maxLineBytes);
        this.file = file;
        this.chunkChars = chunkChars;
        this.removeBoilerplate = removeBoilerplate;
        this.strictQuestions = strictQuestions;
        this.notes = notes;
    }

    /** A text source with the run's settings ({@code documents.textChunkChars}, {@code removeBoilerplate}) and notes. */
    static TextSource of(InputStream in, String file, SourceContext ctx) {
        var c = ctx.config();
        return new TextSource(in, file, c.documents().textChunkChars(), c.input().maxLineBytes(), c.documents().removeBoilerplate(),
                c.documents().questionsFromStructure(), ctx.notes());
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && !done) {
            if (!lines.hasNext()) {
                endParagraph();
                flush();
                done = true;
                continue;
            }
            RawRecord r = lines.next();
            String t = r.tooLong() ? "" : r.text();
            if (t.startsWith("```") || inFence) { // fenced code: kept whole, never a heading or a question
                if (para.length() == 0) {
                    paraLine = r.line();
                }
                para.append(para.length() == 0 ? "" : "\n").append(t);
                boolean fence = t.startsWith("```");
                if (fence && inFence) {
                    inFence = false;
                    endParagraph();
                } else if (fence) {
                    inFence = true;
                }
                continue;
            }
            if (t.isBlank()) {
                endParagraph();
                continue;
            }
            if (t.startsWith("#")) { // a Markdown heading is a paragraph of its own
                endParagraph();
                paraLine = r.line();
                para.append(t);
                endParagraph();
                continue;
            }
            if (removeBoilerplate && t.length() < 300 && DOT_LEADER.matcher(t).matches()) {
                notes.note("boilerplate.table-of-contents", file, "a table-of-contents line (dot leaders and a page number)", t);
                continue;
            }
            if (para.length() == 0) {
                paraLine = r.line();
            }
            para.append(para.length() == 0 ? "" : "\n").append(t);
        }
        return !ready.isEmpty();
    }

    @Override
    public ParseResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    private void endParagraph() {
        if (para.length() == 0) {
            return;
        }
        String p = para.toString().strip();
        para.setLength(0);
        if (p.startsWith("```")) { // a code block belongs to the answer or chunk being read
            if (chunk.length() == 0) {
                chunkLine = paraLine;
            }
            chunk.append(chunk.length() == 0 ? "" : "\n\n").append(p);
            return;
        }
        if (strictQuestions && NUMBERED.matcher(p).lookingAt() && p.contains("\n") && splitNumberedHeading(p)) {
            return;
        }
        boolean heading = p.startsWith("#");
        String plain = MARKER.matcher(p).replaceFirst("").strip();
        boolean isQuestion = !p.contains("\n") && (strictQuestions ? isQuestion(plain) && !p.startsWith("|")
                : plain.endsWith("?") && plain.length() < 300);
        if (isQuestion || heading) {
            flush();
            if (isQuestion) {
                question = plain;
                questionLine = paraLine;
            }
            return;
        }
        if (chunk.length() == 0) {
            chunkLine = paraLine;
        }
        chunk.append(chunk.length() == 0 ? "" : "\n\n").append(p);
        if (question == null && chunk.length() >= chunkChars) {
            flush();
        }
    }

    /**
     * A paragraph that starts with a numbered section heading on its own line or two ("12.5 How do I report a bug?",
     * "12.2.2 Web forum"), as paragraphs of PDFs often do: the heading is taken as a question (or a heading that ends
     * the answer before it) and the rest as the paragraph. Returns false when the first lines are no such heading.
     */
    private boolean splitNumberedHeading(String p) {
        String[] lines = p.split("\n", 3);
        for (int n = 1; n <= 2 && n < lines.length; n++) {
            String head = n == 1 ? lines[0] : lines[0] + " " + lines[1];
            String plain = MARKER.matcher(head).replaceFirst("").strip();
            boolean q = isQuestion(plain);
            boolean title = n == 1 && plain.length() <= 80 && SECTION_TITLE.matcher(plain).matches();
            if (q || title) {
                flush();
                if (q) {
                    question = plain;
                    questionLine = paraLine;
                }
                String rest = p.substring(p.indexOf('\n', n == 1 ? 0 : p.indexOf('\n') + 1) + 1).strip();
                if (!rest.isEmpty()) {
                    chunkLine = paraLine;
                    chunk.append(rest);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * A question: under 300 characters, with at least two words of letters, ending with a word and '?', and no '?'
     * glued to the word after it ("spi_exec ?-count n? ?-array name?" is a synopsis; "&lt;@, ~, ?" an operator list).
     */
    static boolean isQuestion(String plain) {
        return plain.length() < 300 && QUESTION_END.matcher(plain).find() && TWO_WORDS.matcher(plain).find()
                && !GLUED_QUESTION_MARK.matcher(plain).find();
    }

    private void flush() {
        if (chunk.length() > 0) {
            String text = chunk.toString();
            if (question != null) {
                ready.add(ParseResult.ok(Example.chat(List.of(new Message("user", question), new Message("assistant", text)),
                        SourceRef.line(file, questionLine)).withKindIfAbsent(Example.FAQ), false));
            } else {
                ready.add(ParseResult.ok(Example.text(text, SourceRef.line(file, chunkLine))
                        .withKindIfAbsent(Example.DOCUMENT), false));
            }
        } else if (question != null) {
            ready.add(ParseResult.rejected(SourceRef.line(file, questionLine), "empty-field", "a question without an answer", question));
        }
        chunk.setLength(0);
        question = null;
    }
}
