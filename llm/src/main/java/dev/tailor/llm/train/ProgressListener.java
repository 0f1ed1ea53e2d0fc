package dev.tailor.llm.train;

/** Called on the training thread after every optimizer step; keep it quick. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> { };

    void onProgress(TrainProgress progress);
}
