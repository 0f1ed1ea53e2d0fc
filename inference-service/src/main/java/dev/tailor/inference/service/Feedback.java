package dev.tailor.inference.service;

import dev.tailor.common.events.CompletionFeedback;
import dev.tailor.common.events.CompletionLogged;
import dev.tailor.common.json.Json;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.values.Checks;
import dev.tailor.dataprep.filter.PiiRedactor;
import dev.tailor.inference.domain.OpenAiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Feedback on logged completions: {@code POST /v1/feedback} publishes a rating (and maybe a corrected answer) of a
 * completion; the collector (one replica per record) turns corrected and well-rated answers into training examples
 * of the answering model's dataset, under {@code feedback/{datasetId}/pending/}, marked for review: the dataset's
 * next version takes them (ingest collects the pending examples into every new version).
 */
@ApplicationScoped
public class Feedback {
    private static final Logger LOG = Logger.getLogger(Feedback.class);

    private final ObjectStore store;
    private final EventSink events;
    private final CompletionLog log;

    public Feedback(ObjectStore store, EventSink events, CompletionLog log) {
        this.store = store;
        this.events = events;
        this.log = log;
    }

    /** Records a rating of completion {@code completionId}; the correction (if any) is redacted first. */
    public CompletionFeedback rate(String tenant, String completionId, int rating, String correctedAnswer) {
        if (completionId == null || !completionId.matches(Checks.ID_PATTERN)) {
            throw OpenAiException.invalid("completion_id must be the id of a completion (chatcmpl-…, cmpl-…)",
                    "completion_id");
        }
        if (rating < 1 || rating > 5) {
            throw OpenAiException.invalid("rating must be an integer from 1 (bad) to 5 (good), got " + rating,
                    "rating");
        }
        if (correctedAnswer != null && correctedAnswer.isBlank()) {
            throw OpenAiException.invalid("corrected_answer must not be blank (leave it out instead)",
                    "corrected_answer");
        }
        String key = new ObjectLayout(tenant).completion(completionId);
        if (!store.exists(key)) {
            throw new OpenAiException("No logged completion '" + completionId + "': feedback is taken for completions"
                    + " of deployments that log them (PUT /v1/deployments/{alias} with \"log_completions\": true)",
                    OpenAiException.INVALID_REQUEST, "completion_id", OpenAiException.COMPLETION_NOT_FOUND);
        }
        CompletionLogged c = store.getJson(key, CompletionLogged.class);
        PiiRedactor redactor = log.redactor();
        CompletionFeedback f = CompletionFeedback.create(tenant, completionId, store.uri(key), c.alias(), c.modelId(),
                c.datasetId(), rating, correctedAnswer == null ? null : redactor.redact(correctedAnswer));
        events.publish(f);
        return f;
    }

    /**
     * The collector: a corrected or well-rated completion of a model trained on a dataset becomes one example of
     * that dataset (one object per completion, so a later rating replaces an earlier one), marked for review.
     */
    public void collect(CompletionFeedback f) {
        if (f.datasetId() == null) {
            LOG.infof("feedback on %s: model %s has no dataset to feed", f.completionId(), f.modelId());
            return;
        }
        ObjectLayout layout = new ObjectLayout(f.tenant());
        String example = layout.feedbackExample(f.datasetId(), f.completionId());
        if (!f.makesExample()) {
            store.delete(example); // a later low rating withdraws an earlier example
            return;
        }
        CompletionLogged c = store.getJson(layout.owned("completion", store.keyOf(f.completion())),
                CompletionLogged.class);
        List<Map<String, String>> messages = new ArrayList<>();
        c.messages().forEach(m -> messages.add(Map.of("role", m.role(), "content", m.content())));
        boolean corrected = f.correctedAnswer() != null;
        messages.add(Map.of("role", "assistant", "content", corrected ? f.correctedAnswer() : c.answer()));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("messages", messages);
        line.put("source", "feedback");
        line.put("review", "pending");
        line.put("completionId", f.completionId());
        line.put("modelId", f.modelId());
        line.put("rating", f.rating());
        line.put("corrected", corrected);
        store.putString(example, Json.write(line) + "\n", "application/x-ndjson");
        LOG.infof("feedback on %s (rating %d%s) is an example of %s, pending review", f.completionId(), f.rating(),
                corrected ? ", corrected" : "", f.datasetId());
    }
}
