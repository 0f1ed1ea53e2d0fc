package dev.tailor.cli.support;

import java.time.Duration;
import java.util.Locale;

/** Text renderings shared by commands that show progress: bars, durations, sizes, rates. */
public final class ProgressBar {

    private ProgressBar() {
    }

    /** {@code [#######.............]} for {@code done/total}; an empty bar when total is unknown. */
    public static String bar(long done, long total, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be at least 1, got " + width);
        }
        double fraction = total <= 0 ? 0 : Math.min(1.0, Math.max(0.0, (double) done / total));
        int filled = (int) Math.round(fraction * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    /** {@code 0:07}, {@code 3:05}, {@code 1:02:03}; {@code ?} for a negative or unknown duration. */
    public static String duration(Duration d) {
        if (d == null || d.isNegative()) {
            return "?";
        }
        long s = d.toSeconds();
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Seconds as a duration text, {@code ?} when null or not finite. */
    public static String seconds(Double seconds) {
        if (seconds == null || seconds.isNaN() || seconds.isInfinite()) {
            return "?";
        }
        return duration(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /** {@code 812 B}, {@code 14.2 KB}, {@code 3.1 MB}, {@code 1.4 GB} (powers of 1024). */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A number with thousands separators: {@code 12,345}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Elapsed wall time since {@code startNanos} as {@code 12.3s}. */
    public static String elapsed(long startNanos) {
        return String.format(Locale.ROOT, "%.1fs", (System.nanoTime() - startNanos) / 1e9);
    }
}
