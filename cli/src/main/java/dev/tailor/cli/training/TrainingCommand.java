package dev.tailor.cli.training;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tailor training}: training jobs of a running training service. */
@Command(name = "training", mixinStandardHelpOptions = true,
        description = "Training jobs of a training service (render what a job would submit to the cluster).",
        subcommands = {RenderCommand.class})
public final class TrainingCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
