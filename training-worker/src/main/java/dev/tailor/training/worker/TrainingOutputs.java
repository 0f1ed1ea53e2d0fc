package dev.tailor.training.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import java.util.Map;

/**
 * The one description of a finished job's output, whoever trained it (a Tailor worker, or an existing trainer in a
 * Kubeflow TrainJob): the {@code manifest.json} written last under {@code models/tuned/{modelId}/}, and the
 * {@code model.trained} event that announces it.
 */
public final class TrainingOutputs {
    private TrainingOutputs() {
    }

    /**
     * Writes the output's manifest (after every output object).
     *
     * @param producer e.g. {@code training-service/worker} or {@code training-service/kubeflow}
     * @param outputs  file name → s3:// URI of every output object
     */
    public static void writeManifest(ObjectStore store, WorkerSpec spec, String producer, Map<String, String> outputs,
                                     int steps) {
        Manifest.Builder manifest = Manifest.of(producer, spec.tenant())
                .dataset(spec.datasetId(), spec.datasetVersion()).job(spec.jobId(), spec.modelId())
                .input("baseModel", store.uri(spec.baseModelPrefix())).input("train", store.uri(spec.trainKey()))
                .input("validation", store.uri(spec.validationKey()));
        if (spec.parentPrefix() != null) {
            manifest.input("parentModel", store.uri(spec.parentPrefix()));
        }
        manifest.outputs(outputs).count("steps", steps).detail("params", spec.params()).principal(spec.principal());
        store.putJson(ObjectLayout.manifest(spec.outputPrefix()), manifest.build());
    }

    /** The {@code model.trained} event of a complete output, with the losses of its {@code training.json}. */
    public static ModelTrained trained(ObjectStore store, WorkerSpec spec) {
        String key = ObjectLayout.trainingSummary(spec.outputPrefix());
        JsonNode summary = store.exists(key) ? Json.read(store.getBytes(key), JsonNode.class) : null;
        return ModelTrained.create(spec.tenant(), spec.modelId(), spec.jobId(), spec.datasetId(),
                spec.datasetVersion(), spec.baseModel(), store.uri(spec.outputPrefix()), store.uri(spec.testKey()),
                number(summary, "trainLoss"), number(summary, "validationLoss"))
                .withJob(spec.parentModel(), spec.sweep(), spec.evaluation()).withPrincipal(spec.principal());
    }

    private static Double number(JsonNode summary, String field) {
        if (summary == null || !summary.path(field).isNumber()) {
            return null;
        }
        double v = summary.path(field).asDouble();
        return Double.isFinite(v) && v >= 0 ? v : null;
    }
}
