package dev.tailor.localstack;

import java.util.List;
import java.util.Map;

/**
 * A launcher for {@link OrphanIT}: starts LocalInfra and a WatchedMain child (the way ServiceProcess runs
 * services), prints {@code PIDS <kafka> <s3> <watched>} and waits to be killed.
 */
public final class OrphanProbe {
    private OrphanProbe() {
    }

    public static void main(String[] args) throws Exception {
        LocalInfra infra = LocalInfra.startTemporary();
        ChildJvm watched = ChildJvm.start("sleeper", List.of("-Xmx32m"), System.getProperty("java.class.path"),
                WatchedMain.class.getName(), List.of(OrphanProbe.Sleeper.class.getName()), Map.of(), null);
        System.out.println("PIDS " + infra.pids().get(0) + " " + infra.pids().get(1) + " " + watched.pid());
        System.out.println("STATS " + infra.stats());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Stands for a service main: runs until its JVM is told to stop. */
    public static final class Sleeper {
        private Sleeper() {
        }

        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
