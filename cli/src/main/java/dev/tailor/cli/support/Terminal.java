package dev.tailor.cli.support;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Writes status lines for people. On an interactive terminal a "live" line is redrawn in place
 * (carriage return + erase line); elsewhere (pipes, CI logs) live updates are rate-limited to one
 * printed line every few seconds so logs stay readable.
 */
public final class Terminal {

    private static final long PLAIN_UPDATE_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final boolean interactive;
    private final int width;
    private boolean liveShown;
    private long lastPlainUpdate;

    public Terminal(PrintStream out, boolean interactive) {
        this(out, interactive, 120);
    }

    /** {@code width}: columns; a live line is cut to fit, since a wrapped line cannot be redrawn in place. */
    public Terminal(PrintStream out, boolean interactive, int width) {
        this.out = out;
        this.interactive = interactive;
        this.width = Math.max(20, width);
    }

    /** A terminal on stdout; interactive when a console is attached and TERM is not "dumb". */
    public static Terminal stdout() {
        String term = System.getenv("TERM");
        boolean tty = System.console() != null && term != null && !term.equals("dumb");
        return new Terminal(System.out, tty, tty ? columns() : 120);
    }

    /** $COLUMNS, else what {@code stty size} says about the controlling terminal, else 80. */
    static int columns() {
        try {
            String env = System.getenv("COLUMNS");
            if (env != null && !env.isBlank()) {
                return Integer.parseInt(env.trim());
            }
            Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0 && out.matches("\\d+ \\d+")) {
                return Integer.parseInt(out.split(" ")[1]);
            }
        } catch (IOException | RuntimeException e) {
            // unknown: assume a classic terminal
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 80;
    }

    public boolean interactive() {
        return interactive;
    }

    /** Replaces the live line with {@code text} (not terminated: the next call overwrites it). */
    public synchronized void live(String text) {
        if (interactive) {
            String fitted = text.length() < width ? text : text.substring(0, width - 2) + "…";
            out.print("\r\u001b[2K" + fitted);
            out.flush();
            liveShown = true;
        } else if (System.nanoTime() - lastPlainUpdate >= PLAIN_UPDATE_NANOS) {
            lastPlainUpdate = System.nanoTime();
            out.println(text);
        }
    }

    /** Prints a finished line, replacing the live line if one is shown. */
    public synchronized void line(String text) {
        if (interactive && liveShown) {
            out.print("\r\u001b[2K");
        }
        liveShown = false;
        lastPlainUpdate = System.nanoTime();
        out.println(text);
        out.flush();
    }

    /** {@code text} in bold on an interactive terminal. */
    public String bold(String text) {
        return interactive ? "\u001b[1m" + text + "\u001b[0m" : text;
    }

    /** {@code text} in green on an interactive terminal. */
    public String green(String text) {
        return interactive ? "\u001b[32m" + text + "\u001b[0m" : text;
    }

    /** {@code text} in red on an interactive terminal. */
    public String red(String text) {
        return interactive ? "\u001b[31m" + text + "\u001b[0m" : text;
    }
}
