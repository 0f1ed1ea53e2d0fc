package dev.tailor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TailorCliTest {

    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = TailorCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertEquals(expectedExit, cli.execute(args), out::toString);
        return out.toString();
    }

    @Test
    void helpListsTheCommands() {
        String help = run(0, "--help");
        assertTrue(help.contains("demo"), help);
        assertTrue(help.contains("Usage: tailor"), help);
    }

    @Test
    void demoHelpDocumentsItsOptions() {
        String help = run(0, "demo", "--help");
        for (String option : new String[] {"--keep-data", "--timeout", "--no-build", "--dataset", "--base-model"}) {
            assertTrue(help.contains(option), option + " missing from:\n" + help);
        }
    }

    @Test
    void versionAndBadInput() {
        assertTrue(run(0, "--version").startsWith("tailor "));
        assertTrue(run(2, "no-such-command").contains("Unmatched argument"));
    }
}
