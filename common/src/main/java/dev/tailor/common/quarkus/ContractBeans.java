package dev.tailor.common.quarkus;

import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import dev.tailor.common.storage.StorageSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CDI beans shared by the services: the {@link ObjectStore} of {@code tailor.storage.*} and the
 * {@link EventPublisher} of {@code quarkus.application.name}. There is no tenant bean: every service acts in the
 * tenant of the event it consumes, or of the caller's identity (an {@code ObjectLayout} per tenant).
 */
@ApplicationScoped
public class ContractBeans {
    private static final System.Logger LOG = System.getLogger(ContractBeans.class.getName());

    /** The store; its bucket is created when missing (if S3 is down now, the readiness check retries). */
    @Produces
    @Singleton
    public ObjectStore objectStore(StorageSettings settings) {
        ObjectStore store = ObjectStore.connect(settings);
        try {
            store.ensureBucket();
        } catch (StorageException e) {
            LOG.log(System.Logger.Level.WARNING, "S3 not reachable yet, bucket not ensured: " + e.getMessage());
        }
        return store;
    }

    @Produces
    @Singleton
    public EventPublisher eventPublisher(@ConfigProperty(name = "quarkus.application.name") String service) {
        return new EventPublisher(service);
    }
}
