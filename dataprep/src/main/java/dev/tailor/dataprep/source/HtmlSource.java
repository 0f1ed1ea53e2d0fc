package dev.tailor.dataprep.source;

import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.text.HtmlText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * HTML documents, read whole (at most {@code maxDocumentBytes}) and turned into text by {@link HtmlText}; the text
 * then goes through {@link TextSource} (chunks, and question → answer pairs where the structure shows them).
 */
public final class HtmlSource {
    private HtmlSource() {
    }

    public static Iterator<ParseResult> open(InputStream in, String file, SourceContext ctx) {
        CleaningConfig config = ctx.config();
        byte[] bytes;
        try {
            bytes = in.readNBytes(config.documents().maxDocumentBytes() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > config.documents().maxDocumentBytes()) {
            return SourceOpener.one(file, "document-too-large", "HTML document is larger than maxDocumentBytes="
                    + config.documents().maxDocumentBytes() + "; split it or raise the limit");
        }
        String html = new String(bytes, StandardCharsets.UTF_8);
        String text = config.documents().removeBoilerplate()
                ? HtmlText.of(html, (rule, t) -> ctx.notes().note("boilerplate." + rule, file, "page chrome (" + rule + ")", t))
                : HtmlText.of(html);
        return TextSource.of(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), file, ctx);
    }
}
