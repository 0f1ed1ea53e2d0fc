package dev.tailor.training.worker;

import dev.tailor.llm.train.CancellationToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Watches the worker's stdin, which the controller keeps open for the life of the job: a {@code cancel} line asks
 * for a stop at the next step; end of input means the controller is gone, so the job stops too (after a last
 * checkpoint, from which a restarted controller resumes it).
 */
final class ParentWatch implements Runnable {
    private final CancellationToken token;
    private volatile boolean parentGone;

    ParentWatch(CancellationToken token) {
        this.token = token;
    }

    static ParentWatch start(CancellationToken token) {
        ParentWatch watch = new ParentWatch(token);
        Thread t = new Thread(watch, "parent-watch");
        t.setDaemon(true);
        t.start();
        return watch;
    }

    boolean parentGone() {
        return parentGone;
    }

    @Override
    public void run() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.trim().equals("cancel")) {
                    token.cancel();
                }
            }
        } catch (IOException e) {
            // same as end of input
        }
        parentGone = true;
        token.cancel();
    }
}
