package dev.tailor.cleaning.domain;

/**
 * State shared by every input of one run: the settings, the field mapper, the e-mail threads (a reply
 * may come in another file than its question), and the archive guards (bytes and entries expanded).
 */
public final class SourceContext {
    private final CleaningConfig config;
    private final FieldMapper mapper;
    private final EmailThreads threads;
    private long archiveBytes;
    private long archiveEntries;

    public SourceContext(CleaningConfig config) {
        this.config = config;
        this.mapper = new FieldMapper(config.fieldMapping());
        this.threads = new EmailThreads(config.maxOpenThreads());
    }

    public CleaningConfig config() {
        return config;
    }

    public FieldMapper mapper() {
        return mapper;
    }

    public EmailThreads threads() {
        return threads;
    }

    /** Counts bytes expanded from archives; false once the run's limit is exceeded (an archive bomb). */
    boolean expand(long bytes) {
        archiveBytes += bytes;
        return archiveBytes <= config.maxArchiveBytes();
    }

    /** Counts an archive entry; false once the run's limit is exceeded. */
    boolean entry() {
        return ++archiveEntries <= config.maxArchiveEntries();
    }
}
