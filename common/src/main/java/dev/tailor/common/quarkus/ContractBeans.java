package dev.tailor.common.quarkus;

import dev.tailor.common.events.Tenant;
import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import dev.tailor.common.storage.StorageSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CDI beans shared by the services: the {@link ObjectStore} of {@code tailor.storage.*}, the {@link Tenant} of
 * {@code tailor.tenant} (default "default"; the only place it is read) with its {@link ObjectLayout}, and the
 * {@link EventPublisher} of {@code quarkus.application.name}.
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
    public Tenant tenant(@ConfigProperty(name = "tailor.tenant", defaultValue = "default") String tenant) {
        return new Tenant(tenant);
    }

    @Produces
    @Singleton
    public ObjectLayout objectLayout(Tenant tenant) {
        return new ObjectLayout(tenant.id());
    }

    @Produces
    @Singleton
    public EventPublisher eventPublisher(@ConfigProperty(name = "quarkus.application.name") String service) {
        return new EventPublisher(service);
    }
}
