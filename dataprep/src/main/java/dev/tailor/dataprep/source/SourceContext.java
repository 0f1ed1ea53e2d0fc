package dev.tailor.dataprep.source;

import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.Notes;
import dev.tailor.dataprep.email.EmailThreads;
import dev.tailor.dataprep.fields.FieldMapper;
import dev.tailor.dataprep.fields.FieldPolicies;

/**
 * State shared by every input of one run: the settings, the field mapper, the e-mail threads (a reply
 * may come in another file than its question), and the archive guards (bytes and entries expanded).
 */
public final class SourceContext {
    private final CleaningConfig config;
    private final FieldMapper mapper;
    private final FieldPolicies policies;
    private final EmailThreads threads;
    private long archiveBytes;
    private long archiveEntries;
    private Notes notes = Notes.NONE;


    public SourceContext(CleaningConfig config) {
        this(config, null);
    }

    /** @param tables opens a reference table by name (for field policies with action lookup) */
    public SourceContext(CleaningConfig config, java.util.function.Function<String, java.io.InputStream> tables) {
        this.config = config;
        this.policies = config.examples().fields().isEmpty() ? null : new FieldPolicies(config.examples().fields(), tables);
        this.mapper = new FieldMapper(config.examples().fieldMapping(), policies,
                config.spam().spamFilter() ? config.spam().spamThreshold() : Double.POSITIVE_INFINITY);
        var e = config.email();
        this.mapper.email(new FieldMapper.EmailFields(e.emailInFields(), java.util.Set.copyOf(e.emailFields()), e.removeSignOffs(),
                (rule, file, reason, snippet) -> this.notes.note(rule, file, reason, snippet)));
        this.mapper.notes((rule, file, reason, snippet) -> this.notes.note(rule, file, reason, snippet));
        this.threads = new EmailThreads(config.email().maxOpenThreads(), config.email().maxThreadBytes(), config.email().emailThreads());
    }

    /** Sends the notes of every source of this run to {@code notes} (the pipeline's report); returns this. */
    public SourceContext notes(Notes notes) {
        this.notes = notes == null ? Notes.NONE : notes;
        return this;
    }

    /** The run's notes (never null). */
    public Notes notes() {
        return notes;
    }

    public CleaningConfig config() {
        return config;
    }

    public FieldMapper mapper() {
        return mapper;
    }

    /** Counts of the incomplete-record policies (empty when none are configured). */
    public java.util.Map<String, Long> policyCounts() {
        return policies == null ? java.util.Map.of() : policies.counts();
    }

    public EmailThreads threads() {
        return threads;
    }

    /** Counts bytes expanded from archives; false once the run's limit is exceeded (an archive bomb). */
    boolean expand(long bytes) {
        archiveBytes += bytes;
        return archiveBytes <= config.archives().maxArchiveBytes();
    }

    /** Counts an archive entry; false once the run's limit is exceeded. */
    boolean entry() {
        return ++archiveEntries <= config.archives().maxArchiveEntries();
    }
}
