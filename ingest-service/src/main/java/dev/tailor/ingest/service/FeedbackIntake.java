package dev.tailor.ingest.service;

import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Feedback from production into the next version of a dataset: inference's feedback collector leaves corrected and
 * well-rated answers as chat examples (marked {@code "review": "pending"}) under
 * {@code feedback/{datasetId}/pending/}; a new version of the dataset takes every pending example as one more input
 * file of its upload ({@link #FILE}, cleaned like the rest), and once the version is announced they move to
 * {@code feedback/{datasetId}/collected/{uploadId}/}, so each example goes into one version.
 */
@ApplicationScoped
public class FeedbackIntake {
    /** The file of a new version's upload that holds the feedback examples it took. */
    public static final String FILE = "feedback/examples.jsonl";
    private static final Logger LOG = Logger.getLogger(FeedbackIntake.class);

    private final ObjectStore store;

    public FeedbackIntake(ObjectStore store) {
        this.store = store;
    }

    /** The pending examples a version took: the file written and the objects it came from. */
    public record Taken(String key, int examples, List<String> pending) {
    }

    /**
     * Writes the pending feedback examples of {@code datasetId} into the upload at {@code uploadPrefix} (one JSONL
     * file); null when there are none.
     */
    public Taken take(ObjectLayout layout, String datasetId, String uploadPrefix) {
        List<ObjectInfo> pending = store.list(layout.feedbackPending(datasetId)).stream()
                .filter(o -> o.key().endsWith(".jsonl") && o.size() > 0)
                .sorted(Comparator.comparing(ObjectInfo::key)).toList();
        if (pending.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int examples = 0;
        List<String> keys = new ArrayList<>();
        for (ObjectInfo o : pending) {
            byte[] bytes = store.getBytes(o.key());
            lines.writeBytes(bytes);
            if (bytes[bytes.length - 1] != '\n') {
                lines.write('\n');
            }
            examples += (int) new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).count();
            keys.add(o.key());
        }
        String key = ObjectLayout.uploadFile(uploadPrefix, FILE);
        store.putBytes(key, lines.toByteArray(), "application/x-ndjson");
        return new Taken(key, examples, keys);
    }

    /** After the version is announced: its examples move from pending to {@code collected/{uploadId}/}. */
    public void settle(ObjectLayout layout, String datasetId, String uploadId, Taken taken) {
        String collected = layout.feedbackCollected(datasetId, uploadId);
        String pendingRoot = layout.feedbackPending(datasetId);
        for (String key : taken.pending()) {
            try {
                store.copy(key, collected + key.substring(pendingRoot.length()));
                store.delete(key);
            } catch (RuntimeException e) {
                // left pending: the next version takes it again, and cleaning drops the exact duplicate
                LOG.warnf("feedback example %s stays pending: %s", key, e.getMessage());
            }
        }
        LOG.infof("%d feedback examples of %s went into upload %s", taken.examples(), datasetId, uploadId);
    }
}
