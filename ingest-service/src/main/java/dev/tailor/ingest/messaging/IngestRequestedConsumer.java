package dev.tailor.ingest.messaging;

import dev.tailor.common.events.IngestRequested;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.ingest.service.RequestIngestor;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** {@code IngestRequested} from other producers: objects already in the bucket. Failures go to the DLQ. */
@ApplicationScoped
public class IngestRequestedConsumer {
    @Inject
    RequestIngestor ingestor;

    @Incoming(Channels.INGEST_REQUESTED)
    @Blocking
    public void onRequest(ConsumerRecord<String, IngestRequested> record) {
        ingestor.ingest(Delivered.require(record, IngestRequested.class));
    }
}
