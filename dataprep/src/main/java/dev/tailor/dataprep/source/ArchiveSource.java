package dev.tailor.dataprep.source;

import dev.tailor.dataprep.config.TempFiles;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.commons.io.input.ProxyInputStream;

/**
 * zip, tar.gz and .gz inputs, read as a stream entry by entry (nothing is unpacked to disk) with Apache Commons
 * Compress: a zip through {@link ArchiveStreamFactory}; a .gz is decompressed (all its members) and, when
 * {@link ArchiveStreamFactory#detect} finds an archive in it (tar, or any other format it streams), read entry by
 * entry, else taken as one file named without {@code .gz}. Each entry is opened with {@link SourceOpener} as
 * {@code archive!entry}; an entry the library cannot read (encrypted, unsupported compression) is rejected alone.
 * Guards: nesting depth, number of entries, total expanded bytes, and the expanded/compressed ratio (an archive bomb
 * stops the archive with a rejection, never the run).
 * <p>Every member is accounted for: a member with an unsafe name ({@code ../} segments, an absolute path or drive), a
 * symbolic or hard link, a special file (device, FIFO, socket) or a second member of the same name is rejected with
 * the reason ({@value #UNSAFE_NAME}, {@value #LINK}, {@value #SPECIAL_FILE}, {@value #DUPLICATE_NAME}) and never read
 * as text; only directories are passed over. A zip is copied to a temporary file first (deleted when it is read), so
 * that its central directory, where zip keeps the Unix file type of a member, is known before any member is read.
 */
public final class ArchiveSource implements Iterator<ParseResult> {
    private static final long RATIO_CHECK_AFTER = 64L * 1024 * 1024;
    /** Entries that are no text to learn from, by extension: stylesheets, scripts, images, fonts, media, binaries. */
    private static final java.util.regex.Pattern NON_TEXT = java.util.regex.Pattern.compile("(?i).*\\.(css|scss|less|js|mjs|cjs|"
            + "map|ts|png|jpe?g|gif|svg|ico|webp|bmp|tiff?|psd|eps|woff2?|ttf|otf|eot|mp3|wav|ogg|flac|mp4|m4a|avi|mov|mkv|webm|"
            + "exe|dll|so|dylib|class|jar|war|o|a|lib|bin|dat|pyc|pyo|wasm|swf|db|sqlite|iso|dmg|img|DS_Store)$|.*(^|/)\\.DS_Store$");

    static final String UNSAFE_NAME = "archive-unsafe-name";
    static final String LINK = "archive-link";
    static final String SPECIAL_FILE = "archive-special-file";
    static final String DUPLICATE_NAME = "archive-duplicate-name";

    private interface Entries {
        /** The next entry, or null at the end; directories are skipped. */
        ArchiveEntry next() throws IOException;

        /** Deletes what reading needed (a zip's temporary copy). */
        default void close() {
        }

        /** Whether the library can read the current entry's data (not encrypted, a known compression method). */
        boolean readable(ArchiveEntry entry);

        InputStream stream();
    }

    private final String file;
    private final SourceContext ctx;
    private final int depth;
    private final BoundedInputStream compressed;
    private final Entries entries;
    private Iterator<ParseResult> current;
    private ParseResult stop;
    private boolean done;
    private final java.util.Set<String> names = new java.util.HashSet<>();
    private long expanded;

    ArchiveSource(InputStream in, String file, InputFormat format, SourceContext ctx, int depth) {
        this.file = file;
        this.ctx = ctx;
        this.depth = depth;
        this.compressed = counting(in);
        Entries opened = null;
        try {
            opened = format == InputFormat.ZIP ? zip(compressed) : gzip(compressed, file);
        } catch (IOException e) {
            halt("malformed-archive", "cannot open the archive: " + e.getMessage());
        }
        this.entries = opened;
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
                ArchiveEntry entry = entries.next();
                String refused = entry == null ? null : refused(entry);
                if (entry == null) {
                    done = true;
                    entries.close();
                } else if (!ctx.entry()) {
                    halt("archive-bomb", "more than maxArchiveEntries=" + ctx.config().archives().maxArchiveEntries() + " entries");
                } else if (refused != null) {
                    current = SourceOpener.one(file + "!" + entry.getName(), refused.substring(0, refused.indexOf(' ')),
                            refused.substring(refused.indexOf(' ') + 1));
                } else if (ctx.config().archives().skipNonText() && NON_TEXT.matcher(entry.getName()).matches()) {
                    skipped(file + "!" + entry.getName());
                } else if (!entries.readable(entry)) {
                    current = SourceOpener.one(file + "!" + entry.getName(), "unsupported-format", "the archive entry is"
                            + " encrypted or compressed with a method that cannot be read; unpack it and add its files");
                } else {
                    current = SourceOpener.open(file + "!" + entry.getName(), null, new Guard(entries.stream()), ctx, depth).records();
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

    /** Notes an entry skipped because it is no text to learn from (a stylesheet, a script, an image…). */
    private void skipped(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        ctx.notes().note("archive.skipped-non-text", name, "." + ext + " is not text to learn from (stylesheet, script, image,"
                + " font, media or binary); skipped (archives.skipNonText)", null);
    }

    private void halt(String rule, String reason) {
        stop = ParseResult.rejected(SourceRef.line(file, 1), rule, reason + "; the rest of " + file + " is skipped", null);
        current = null;
        done = true;
        if (entries != null) {
            entries.close();
        }
    }

    /** Why a member is not read ("rule reason"), or null: an unsafe name, a link, a special file, a duplicate name. */
    private String refused(ArchiveEntry entry) {
        String name = entry.getName();
        String unsafe = unsafeName(name);
        if (unsafe != null) {
            return UNSAFE_NAME + " the member's name " + unsafe + "; such a member could be written outside the folder it is"
                    + " unpacked to, so it is not read; rename it inside the archive";
        }
        if (entry instanceof TarArchiveEntry t && (t.isSymbolicLink() || t.isLink())
                || entry instanceof ZipArchiveEntry z && z.isUnixSymlink()) {
            String target = entry instanceof TarArchiveEntry t ? t.getLinkName() : null;
            return LINK + " the member is a " + (entry instanceof TarArchiveEntry t && t.isLink() ? "hard" : "symbolic") + " link"
                    + (target == null ? "" : " to '" + target + "'") + ", not a file: links are not followed nor read;"
                    + " put the file itself in the archive";
        }
        String special = special(entry);
        if (special != null) {
            return SPECIAL_FILE + " the member is a " + special + ", not a regular file; it holds no text and is not read";
        }
        String path = java.util.Arrays.stream(name.split("[/\\\\]")).filter(seg -> !seg.isEmpty() && !seg.equals("."))
                .collect(java.util.stream.Collectors.joining("/")); // "./a//b" and "a/b" unpack to one file
        if (!names.add(path)) {
            return DUPLICATE_NAME + " a member with the same path ('" + path + "') came earlier in this archive; only the first is read,"
                    + " rename or remove the others";
        }
        return null;
    }

    /** What makes an archive member's name unsafe (a parent-folder segment, an absolute path, a drive), or null. */
    static String unsafeName(String name) {
        if (name.startsWith("/") || name.startsWith("\\")) {
            return "is an absolute path";
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            return "starts with a drive (" + name.substring(0, 2) + ")";
        }
        for (String segment : name.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return "has a '..' segment (a path out of the archive)";
            }
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "holds control characters";
        }
        return null;
    }

    /** The kind of a special file (device, FIFO, socket), or null for a regular file. */
    private static String special(ArchiveEntry entry) {
        if (entry instanceof TarArchiveEntry t) {
            return t.isCharacterDevice() ? "character device" : t.isBlockDevice() ? "block device" : t.isFIFO() ? "FIFO (named pipe)"
                    : t.isFile() ? null : "special tar member (type '" + (char) t.getLinkFlag() + "')";
        }
        if (entry instanceof ZipArchiveEntry z && z.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX) {
            int type = z.getUnixMode() & 0170000;
            return type == 0010000 ? "FIFO (named pipe)" : type == 0020000 ? "character device" : type == 0060000 ? "block device"
                    : type == 0140000 ? "socket" : null;
        }
        return null;
    }

    private static final class BombException extends UncheckedIOException {
        BombException(String message) {
            super(new IOException(message));
        }
    }

    /** Counts expanded bytes of the entry being read and stops the archive when a limit is passed. */
    private final class Guard extends ProxyInputStream {
        Guard(InputStream in) {
            super(in);
        }

        @Override
        protected void afterRead(int n) {
            if (n <= 0) {
                return;
            }
            expanded += n;
            String why = null;
            if (!ctx.expand(n)) {
                why = "expands past maxArchiveBytes=" + ctx.config().archives().maxArchiveBytes();
            } else if (expanded > RATIO_CHECK_AFTER && expanded > ctx.config().archives().maxArchiveRatio() * Math.max(1, compressed.getCount())) {
                why = "expands more than maxArchiveRatio=" + ctx.config().archives().maxArchiveRatio() + " times its compressed size";
            }
            if (why != null) {
                halt("archive-bomb", "archive " + why);
                throw new BombException(why);
            }
        }

        @Override
        public void close() {
            // the archive stream stays open for the next entry
        }
    }

    /** {@code in}, counting the bytes read (the compressed size, for the ratio guard). */
    private static BoundedInputStream counting(InputStream in) {
        try {
            return BoundedInputStream.builder().setInputStream(in).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of an archive of {@code kind} (an {@link ArchiveStreamFactory} name) read from {@code in}. */
    private static Entries archive(String kind, InputStream in) throws IOException {
        ArchiveInputStream<? extends ArchiveEntry> archive;
        try {
            archive = ArchiveStreamFactory.DEFAULT.createArchiveInputStream(kind, in);
        } catch (ArchiveException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new Entries() {
            @Override
            public ArchiveEntry next() throws IOException {
                for (ArchiveEntry e = archive.getNextEntry(); e != null; e = archive.getNextEntry()) {
                    if (!e.isDirectory()) {
                        return e;
                    }
                }
                return null;
            }

            @Override
            public boolean readable(ArchiveEntry entry) {
                return archive.canReadEntryData(entry);
            }

            @Override
            public InputStream stream() {
                return archive;
            }
        };
    }

    /**
     * A zip's entries in the order they are stored, read through its central directory (which holds each member's
     * Unix file type: a symbolic link there looks like a small text file in the member's own header) from a
     * temporary copy, deleted once the archive is read.
     */
    private static Entries zip(InputStream in) throws IOException {
        java.nio.file.Path copy = TempFiles.create("tailor-archive-", ".zip");
        ZipFile zip;
        try {
            java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            zip = ZipFile.builder().setPath(copy).get();
        } catch (IOException | RuntimeException e) {
            java.nio.file.Files.deleteIfExists(copy);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        java.util.Iterator<ZipArchiveEntry> all = java.util.Collections.list(zip.getEntriesInPhysicalOrder()).iterator();
        return new Entries() {
            private InputStream current = InputStream.nullInputStream();

            @Override
            public ArchiveEntry next() throws IOException {
                current.close();
                while (all.hasNext()) {
                    ZipArchiveEntry e = all.next();
                    if (!e.isDirectory()) {
                        current = zip.canReadEntryData(e) ? zip.getInputStream(e) : InputStream.nullInputStream();
                        return e;
                    }
                }
                return null;
            }

            @Override
            public boolean readable(ArchiveEntry entry) {
                return zip.canReadEntryData((ZipArchiveEntry) entry);
            }

            @Override
            public InputStream stream() {
                return current;
            }

            @Override
            public void close() {
                try {
                    current.close();
                    zip.close();
                    java.nio.file.Files.deleteIfExists(copy);
                } catch (IOException e) {
                    throw new UncheckedIOException("deleting the temporary copy " + copy + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** A .gz: the archive inside it (a tar.gz), or the one file it compresses. */
    private static Entries gzip(InputStream in, String file) throws IOException {
        BufferedInputStream body;
        try {
            body = new BufferedInputStream(new CompressorStreamFactory(true).createCompressorInputStream(
                    CompressorStreamFactory.GZIP, in), 65536);
        } catch (CompressorException e) {
            throw new IOException(e.getMessage(), e);
        }
        String kind;
        try {
            kind = ArchiveStreamFactory.detect(body);
        } catch (ArchiveException e) {
            kind = null; // not an archive: one compressed file
        }
        if (kind != null) {
            return archive(kind, body);
        }
        String inner = file.replaceFirst("(?i)\\.gz$", "");
        ArchiveEntry single = new TarArchiveEntry(inner.substring(inner.lastIndexOf('/') + 1));
        return new Entries() {
            private boolean served;

            @Override
            public ArchiveEntry next() {
                if (served) {
                    return null;
                }
                served = true;
                return single;
            }

            @Override
            public boolean readable(ArchiveEntry entry) {
                return true;
            }

            @Override
            public InputStream stream() {
                return body;
            }
        };
    }
}
