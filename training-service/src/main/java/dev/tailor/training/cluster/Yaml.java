package dev.tailor.training.cluster;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/** Kubernetes objects as the YAML {@code kubectl apply -f} and {@code kubectl diff -f} read (multi-document). */
public final class Yaml {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Yaml() {
    }

    public static String of(List<?> objects) {
        StringBuilder out = new StringBuilder();
        for (Object o : objects) {
            String doc = SERIALIZATION.asYaml(o);
            out.append(doc.startsWith("---") ? doc : "---\n" + doc);
            if (!doc.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
