package dev.tailor.dataprep.source;

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
 * structure shows questions (a heading or one-line paragraph ending in '?'), the paragraphs up to the
 * next heading or question become the answer of a (question → answer) chat example.
 */
public final class TextSource implements Iterator<ParseResult> {
    private static final Pattern MARKER = Pattern.compile("^(#{1,6}\\s+|Q:\\s*|\\(\\d+\\)\\s+|\\d+[.)]\\s+)");
    private final LineReader lines;
    private final String file;
    private final int chunkChars;
    private final Deque<ParseResult> ready = new ArrayDeque<>();
    private final StringBuilder para = new StringBuilder();
    private final StringBuilder chunk = new StringBuilder();
    private String question;
    private long questionLine;
    private long paraLine;
    private long chunkLine;
    private boolean done;

    public TextSource(InputStream in, String file, int chunkChars, int maxLineBytes) {
        this.lines = new LineReader(in, file, maxLineBytes);
        this.file = file;
        this.chunkChars = chunkChars;
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
        boolean heading = p.startsWith("#");
        String plain = MARKER.matcher(p).replaceFirst("").strip();
        boolean isQuestion = !p.contains("\n") && plain.endsWith("?") && plain.length() < 300;
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

    private void flush() {
        if (chunk.length() > 0) {
            String text = chunk.toString();
            if (question != null) {
                ready.add(ParseResult.ok(Example.chat(List.of(new Message("user", question), new Message("assistant", text)),
                        SourceRef.line(file, questionLine)), false));
            } else {
                ready.add(ParseResult.ok(Example.text(text, SourceRef.line(file, chunkLine)), false));
            }
        } else if (question != null) {
            ready.add(ParseResult.rejected(SourceRef.line(file, questionLine), "empty-field", "a question without an answer", question));
        }
        chunk.setLength(0);
        question = null;
    }
}
