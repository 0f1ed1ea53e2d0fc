package dev.tailor.eval.config;

import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.eval.storage.EvalStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/** The eval service's beans that are plain classes. */
public class EvalBeans {

    @Produces
    @ApplicationScoped
    EvalStore evalStore(ObjectStore store, ObjectLayout layout, EvalSettings settings) {
        return new EvalStore(store, layout, Path.of(settings.cacheDir()));
    }
}
