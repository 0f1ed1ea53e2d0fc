package dev.tailor.dataprep.source;

import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * zip, tar.gz and .gz inputs, read as a stream entry by entry (nothing is unpacked to disk). Each entry
 * is opened with {@link SourceOpener} as {@code archive!entry}. Guards: nesting depth, number of entries,
 * total expanded bytes, and the expanded/compressed ratio (an archive bomb stops the archive with a
 * rejection, never the run).
 */
public final class ArchiveSource implements Iterator<ParseResult> {
    private static final long RATIO_CHECK_AFTER = 64L * 1024 * 1024;

    private interface Entries {
        /** The next entry's name, or null at the end; directories are skipped. */
        String next() throws IOException;

        InputStream stream();
    }

    private final String file;
    private final SourceContext ctx;
    private final int depth;
    private final Counting compressed;
    private final Entries entries;
    private Iterator<ParseResult> current;
    private ParseResult stop;
    private boolean done;
    private long expanded;

    ArchiveSource(InputStream in, String file, InputFormat format, SourceContext ctx, int depth) {
        this.file = file;
        this.ctx = ctx;
        this.depth = depth;
        this.compressed = new Counting(in);
        try {
            this.entries = format == InputFormat.ZIP ? zip(compressed) : gzip(compressed, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open archive " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasNext() {
        while (true) {
            if (current != null) {
                try {
                    if (current.hasNext()) {
                        return true;
                    }
                } catch (BombException e) {
                    // halt() has recorded why
                } catch (UncheckedIOException e) {
                    halt("malformed-archive", "cannot read the archive: " + e.getMessage());
                }
                current = null;
            }
            if (stop != null) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                String name = entries.next();
                if (name == null) {
                    done = true;
                } else if (!ctx.entry()) {
                    halt("archive-bomb", "more than maxArchiveEntries=" + ctx.config().archives().maxArchiveEntries() + " entries");
                } else {
                    current = SourceOpener.open(file + "!" + name, null, new Guard(entries.stream()), ctx, depth).records();
                }
            } catch (BombException e) {
                current = null;
            } catch (IOException | UncheckedIOException e) {
                halt("malformed-archive", "cannot read the archive: " + e.getMessage());
            }
        }
    }

    @Override
    public ParseResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (current != null) {
            try {
                return current.next();
            } catch (BombException e) {
                current = null;
            }
        }
        ParseResult p = stop;
        stop = null;
        return p;
    }

    private void halt(String rule, String reason) {
        stop = ParseResult.rejected(SourceRef.line(file, 1), rule, reason + "; the rest of " + file + " is skipped", null);
        current = null;
        done = true;
    }

    private static final class BombException extends UncheckedIOException {
        BombException(String message) {
            super(new IOException(message));
        }
    }

    /** Counts expanded bytes of the entry being read and stops the archive when a limit is passed. */
    private final class Guard extends FilterInputStream {
        Guard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public void close() {
            // the archive stream stays open for the next entry
        }

        private void count(int n) {
            expanded += n;
            String why = null;
            if (!ctx.expand(n)) {
                why = "expands past maxArchiveBytes=" + ctx.config().archives().maxArchiveBytes();
            } else if (expanded > RATIO_CHECK_AFTER && expanded > ctx.config().archives().maxArchiveRatio() * Math.max(1, compressed.count)) {
                why = "expands more than maxArchiveRatio=" + ctx.config().archives().maxArchiveRatio() + " times its compressed size";
            }
            if (why != null) {
                halt("archive-bomb", "archive " + why);
                throw new BombException(why);
            }
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static Entries zip(InputStream in) {
        ZipInputStream zin = new ZipInputStream(in);
        return new Entries() {
            @Override
            public String next() throws IOException {
                for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                    if (!e.isDirectory()) {
                        return e.getName();
                    }
                }
                return null;
            }

            @Override
            public InputStream stream() {
                return zin;
            }
        };
    }

    private static Entries gzip(InputStream in, String file) throws IOException {
        BufferedInputStream body = new BufferedInputStream(new GZIPInputStream(in, 65536), 65536);
        body.mark(512);
        byte[] head = body.readNBytes(512);
        body.reset();
        boolean tar = head.length >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        if (tar) {
            TarArchiveInputStream tin = new TarArchiveInputStream(body);
            return new Entries() {
                @Override
                public String next() throws IOException {
                    for (TarArchiveEntry e = tin.getNextEntry(); e != null; e = tin.getNextEntry()) {
                        if (e.isFile()) {
                            return e.getName();
                        }
                    }
                    return null;
                }

                @Override
                public InputStream stream() {
                    return tin;
                }
            };
        }
        String inner = file.replaceFirst("(?i)\\.gz$", "");
        return new Entries() {
            private boolean served;

            @Override
            public String next() {
                if (served) {
                    return null;
                }
                served = true;
                return inner.substring(inner.lastIndexOf('/') + 1);
            }

            @Override
            public InputStream stream() {
                return body;
            }
        };
    }
}
