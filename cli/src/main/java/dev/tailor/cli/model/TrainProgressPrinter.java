package dev.tailor.cli.model;

import dev.tailor.cli.support.ProgressBar;
import dev.tailor.llm.train.ProgressListener;
import dev.tailor.llm.train.TrainProgress;
import java.io.PrintStream;
import java.util.Locale;

/** Renders training progress as a one-line bar on a terminal (stderr), plus a line per validation. */
final class TrainProgressPrinter implements ProgressListener {
    private final PrintStream out;

    TrainProgressPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onProgress(TrainProgress p) {
        String line = String.format(Locale.ROOT, "\r%s %d/%d ep %d  loss %.4f  lr %.2e  %.0f tok/s  ETA %s",
                ProgressBar.bar(p.step(), p.totalSteps(), 24), p.step(), p.totalSteps(), p.epoch(), p.loss(),
                p.learningRate(), p.tokensPerSecond(), ProgressBar.seconds(p.etaSeconds()));
        out.print(line);
        if (p.validationLoss() != null) {
            out.printf(Locale.ROOT, "  val %.4f%n", p.validationLoss());
        }
        if (p.step() == p.totalSteps()) {
            out.println();
        }
        out.flush();
    }
}
