package dev.tailor.training.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * What both cluster backends need of the API server: the client (made on first use, so a service with the backends
 * off never touches a cluster), the namespace, the owner of the objects they create, and informers on the objects
 * labelled as Tailor's that call back with each changed object.
 */
final class Cluster {
    private static final Logger LOG = Logger.getLogger(Cluster.class);
    static final long RESYNC_MILLIS = 60_000;

    private final Supplier<KubernetesClient> clients;
    private final ClusterConfig config;
    private KubernetesClient client;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    Cluster(Supplier<KubernetesClient> clients, ClusterConfig config) {
        this.clients = clients;
        this.config = config;
    }

    synchronized KubernetesClient client() {
        if (client == null) {
            client = clients.get();
        }
        return client;
    }

    ClusterConfig config() {
        return config;
    }

    String namespace() {
        return config.namespace() != null ? config.namespace() : client().getNamespace();
    }

    /** The owner of new objects: the configured Deployment (found by name for its uid), or null. */
    OwnerReference owner() {
        if (config.ownerDeployment() == null) {
            return null;
        }
        Deployment d = client().apps().deployments().inNamespace(namespace()).withName(config.ownerDeployment()).get();
        if (d == null) {
            LOG.warnf("owner Deployment %s not found; objects are created without an owner", config.ownerDeployment());
            return null;
        }
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid()).withController(false)
                .withBlockOwnerDeletion(false).build();
    }

    /**
     * Starts the informers {@code start} makes (once): each added, changed or deleted object goes to
     * {@code changed}.
     */
    synchronized void watch(Function<ResourceEventHandler<HasMetadata>, List<SharedIndexInformer<?>>> start) {
        if (!informers.isEmpty()) {
            return;
        }
        informers.addAll(start.apply(handler(this::changedSafely)));
    }

    private Consumer<HasMetadata> onChange = o -> { };

    void onChange(Consumer<HasMetadata> callback) {
        this.onChange = callback;
    }

    private void changedSafely(HasMetadata obj) {
        try {
            onChange.accept(obj);
        } catch (RuntimeException e) {
            LOG.warnf("%s %s: status not read: %s", obj.getKind(), obj.getMetadata().getName(), e.getMessage());
        }
    }

    synchronized void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    /** The model id label of an object, or null. */
    static String modelId(HasMetadata obj) {
        return obj.getMetadata().getLabels() == null ? null : obj.getMetadata().getLabels().get(Labels.MODEL_ID);
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<HasMetadata> changed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed.accept(obj);
            }
        };
    }
}
