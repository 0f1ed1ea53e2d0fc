package dev.tailor.training.worker;

import dev.tailor.common.events.ModelTrained;

/** Where a worker tells how its job goes: stdout lines to its controller (local), or Kafka events (cluster). */
interface Reports extends AutoCloseable {

    /** A training step (RUNNING). */
    void step(WorkerReport report);

    /** The end: SUCCEEDED, FAILED or CANCELLED. */
    void end(WorkerReport report);

    /** The output is complete in S3 (manifest written): announce it, if this worker announces its own output. */
    void trained(ModelTrained event);

    @Override
    default void close() {
    }
}
