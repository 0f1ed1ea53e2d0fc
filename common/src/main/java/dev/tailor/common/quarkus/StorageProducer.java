package dev.tailor.common.quarkus;

import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import dev.tailor.common.storage.StorageSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CDI beans shared by the services: the {@link ObjectStore} of {@code tailor.storage.*} and the
 * {@link ObjectLayout} of {@code tailor.tenant} (default "default").
 */
@ApplicationScoped
public class StorageProducer {
    private static final System.Logger LOG = System.getLogger(StorageProducer.class.getName());

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
    public ObjectLayout objectLayout(@ConfigProperty(name = "tailor.tenant", defaultValue = "default") String tenant) {
        return new ObjectLayout(tenant);
    }
}
