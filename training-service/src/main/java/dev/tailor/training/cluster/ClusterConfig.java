package dev.tailor.training.cluster;

import dev.tailor.training.config.TrainingSettings;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the cluster backends put into the objects they create, from the settings ({@code
 * tailor.training.kubernetes.*}, {@code tailor.training.kubeflow.*}); a plain record so tests build it directly.
 *
 * @param namespace      null: the client's namespace
 * @param queueName      Kueue LocalQueue, or null (jobs then start unsuspended)
 * @param tolerations    {@code key[=value]:Effect} each
 * @param affinityJson   a core/v1 Affinity as JSON, or null
 * @param kafkaSecretKey whether the credentials Secret also carries {@code KAFKA_SASL_JAAS_CONFIG} (optional key)
 */
public record ClusterConfig(String namespace, String image, String queueName, String priorityClass,
                            Map<String, String> nodeSelector, List<String> tolerations, String affinityJson,
                            String gpuResource, String cpu, String memory, String scratch, String credentialsSecret,
                            String kafkaBootstrapServers, String serviceAccount, int backoffLimit,
                            int ttlSecondsAfterFinished, long terminationGracePeriodSeconds, String ownerDeployment,
                            String kubeflowRuntime, String trainerImage, boolean kafkaSecretKey) {

    public ClusterConfig {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(credentialsSecret, "credentialsSecret");
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        nodeSelector = Map.copyOf(nodeSelector == null ? Map.of() : nodeSelector);
        tolerations = List.copyOf(tolerations == null ? List.of() : tolerations);
        tolerations.forEach(ClusterConfig::checkToleration);
        if (queueName != null && !queueName.matches("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("queue name '" + queueName + "' is not a valid LocalQueue name (a"
                    + " lower-case DNS label)");
        }
        if (backoffLimit < 0 || ttlSecondsAfterFinished < 0 || terminationGracePeriodSeconds < 0) {
            throw new IllegalArgumentException("backoffLimit, ttlSecondsAfterFinished and the grace period must be"
                    + " >= 0");
        }
    }

    static void checkToleration(String t) {
        if (!t.matches("[A-Za-z0-9./_-]+(=[A-Za-z0-9._-]+)?:(NoSchedule|PreferNoSchedule|NoExecute)")) {
            throw new IllegalArgumentException("toleration '" + t + "' must be key[=value]:Effect with Effect"
                    + " NoSchedule, PreferNoSchedule or NoExecute, e.g. nvidia.com/gpu:NoSchedule");
        }
    }

    /** {@code key=value} entries as a node selector. */
    static Map<String, String> nodeSelector(List<String> entries) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException("node selector entry '" + e + "' must be key=value, e.g."
                        + " tailor.dev/node-pool=gpu");
            }
            out.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
        }
        return out;
    }

    public static ClusterConfig from(TrainingSettings settings) {
        TrainingSettings.Kubernetes k = settings.kubernetes();
        return new ClusterConfig(k.namespace().orElse(null), k.image(), k.queueName().orElse(null),
                k.priorityClass().orElse(null), nodeSelector(k.nodeSelector().orElse(List.of())), k.tolerations(),
                k.affinity().orElse(null),
                k.gpuResource(), k.cpu(), k.memory(), k.scratch(), k.credentialsSecret(), k.kafkaBootstrapServers(),
                k.serviceAccount().orElse(null), k.backoffLimit(), k.ttlSecondsAfterFinished(),
                k.terminationGracePeriodSeconds(), k.ownerDeployment().orElse(null), settings.kubeflow().runtime(),
                settings.kubeflow().image(), true);
    }
}
