package dev.tailor.common.storage;

import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.values.Checks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which events a consumer has fully handled: a small object per event ({@link ObjectLayout#handledEvent}) written
 * after the consumer's output is stored and its own events are on the broker. A copy of an old event (a replay: the
 * same event id) is then recognised and changes nothing downstream, while a new event about the same data (a new id)
 * is handled as before. A crash between publishing and marking lets one redelivery publish again: at least once, and
 * never more than once per delivery that was not acknowledged.
 */
public final class HandledEvents {
    private static final Pattern SAFE_ID = Pattern.compile(Checks.ID_PATTERN);

    /** What the marker says: the event, the consumer and the ids of what it published. */
    public record Marker(String eventId, String consumer, List<String> published, Instant handledAt) {
    }

    private final ObjectStore store;
    private final String consumer;

    /** @param consumer the consumer's name, e.g. {@code cleaning-service.dataset-ingested} */
    public HandledEvents(ObjectStore store, String consumer) {
        this.store = store;
        this.consumer = Checks.id("consumer", consumer);
    }

    /** Whether {@code event} (by its tenant and id) was handled by this consumer before. */
    public boolean seen(TailorEvent event) {
        return store.exists(key(event));
    }

    /** Records that {@code event} is handled; {@code published} are the ids of the events it led to. */
    public void done(TailorEvent event, List<String> published) {
        store.putJson(key(event), new Marker(event.eventId(), consumer, List.copyOf(published), Instant.now()));
    }

    private String key(TailorEvent event) {
        String id = event.eventId();
        if (!SAFE_ID.matcher(id).matches()) {
            try {
                id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(id.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return new ObjectLayout(event.tenant()).handledEvent(consumer, id);
    }
}
