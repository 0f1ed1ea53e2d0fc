package dev.tailor.training.worker;

import dev.tailor.common.Topics;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cluster worker's reports: each step as a {@code tailor.training.progress} event (RUNNING), the output as
 * {@code tailor.model.trained}; the job's other states come from the controller, which watches the Job. A failure's
 * reason goes to the pod's termination message file, which the controller shows.
 */
final class KafkaReports implements Reports {
    private final KafkaEvents kafka;
    private final WorkerSpec spec;
    private final Path terminationLog;

    KafkaReports(KafkaEvents kafka, WorkerSpec spec, Path terminationLog) {
        this.kafka = kafka;
        this.spec = spec;
        this.terminationLog = terminationLog;
    }

    @Override
    public void step(WorkerReport r) {
        kafka.send(Topics.TRAINING_PROGRESS, TrainingProgress.create(spec.tenant(), new TrainingProgress.Job(
                spec.jobId(), spec.datasetId(), spec.datasetVersion(), spec.modelId()), TrainingProgress.RUNNING,
                r.step(), r.totalSteps(), r.epoch(), r.loss(), r.validationLoss(), r.learningRate(),
                r.tokensPerSecond(), r.etaSeconds(), r.message()));
    }

    @Override
    public void end(WorkerReport r) {
        System.err.println("job " + spec.jobId() + " " + r.state() + ": " + r.message());
        if (r.workerState() == WorkerReport.State.FAILED && terminationLog != null) {
            try {
                String message = r.message() == null ? "failed" : r.message();
                // the kubelet keeps at most 4096 bytes of a termination message
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                Files.write(terminationLog, bytes.length > 4000 ? java.util.Arrays.copyOf(bytes, 4000) : bytes);
            } catch (IOException | RuntimeException e) {
                System.err.println("could not write the termination message to " + terminationLog + ": " + e);
            }
        }
    }

    @Override
    public void trained(ModelTrained event) {
        kafka.publish(Topics.MODEL_TRAINED, event);
    }

    @Override
    public void close() {
        kafka.close();
    }
}
