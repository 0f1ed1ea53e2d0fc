package dev.tailor.eval.config;

import dev.tailor.common.storage.ObjectStore;
import dev.tailor.eval.storage.EvalStores;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/** The eval service's beans that are plain classes. */
public class EvalBeans {

    @Produces
    @ApplicationScoped
    EvalStores evalStores(ObjectStore store, EvalSettings settings) {
        return new EvalStores(store, Path.of(settings.cacheDir()));
    }
}
