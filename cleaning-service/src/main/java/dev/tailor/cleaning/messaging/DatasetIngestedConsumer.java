package dev.tailor.cleaning.messaging;

import dev.tailor.cleaning.service.CleaningRunner;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.HandledEvents;
import dev.tailor.common.storage.ObjectStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * On {@code DatasetIngested}: cleans the raw objects (or finds the output of an earlier delivery),
 * then publishes {@code DatasetCleaned}. The record is acknowledged (and its offset committed) only
 * after the outputs are in S3 and the event is on the broker; a failure sends it to the DLQ. A copy of an event handled
 * before (same event id: a replay) changes nothing and publishes nothing ({@link HandledEvents}).
 */
@ApplicationScoped
public class DatasetIngestedConsumer {
    private static final Logger LOG = Logger.getLogger(DatasetIngestedConsumer.class);

    @Inject
    CleaningRunner runner;

    @Inject
    EventSink events;

    private HandledEvents handled;

    @Inject
    void handled(ObjectStore store) {
        handled = new HandledEvents(store, "cleaning-service.dataset-ingested");
    }

    @Incoming(Channels.DATASET_INGESTED)
    @Blocking
    public void onIngested(ConsumerRecord<String, DatasetIngested> record) {
        DatasetIngested in = Delivered.require(record, DatasetIngested.class);
        if (handled.seen(in)) {
            LOG.infof("dataset.ingested %s of %s was handled before (a replay); nothing to do", in.eventId(),
                    in.datasetId());
            return;
        }
        DatasetCleaned out = runner.clean(in);
        events.publish(out);
        handled.done(in, List.of(out.eventId()));
        events.audit(AuditEvent.of(out.tenant(), AuditEvent.service("cleaning-service"), in.principal(),
                AuditEvent.DATASET_CLEANED, "dataset", out.datasetId(), Map.of("version", out.version(),
                        "train", out.trainCount(), "validation", out.validationCount(), "test", out.testCount())));
        LOG.infof("dataset %s cleaned as version %s: train=%d validation=%d test=%d", out.datasetId(), out.version(),
                out.trainCount(), out.validationCount(), out.testCount());
    }
}
