package dev.tailor.cli.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Tailor checkout the CLI runs from (where the services' build outputs and examples are). */
public final class RepoRoot {

    private RepoRoot() {
    }

    /**
     * {@code -Dtailor.home} (set by the {@code ./tailor} launcher), else the nearest folder at or above the
     * working directory that holds the root {@code pom.xml} and {@code cli/}.
     */
    public static Path find() {
        String home = System.getProperty("tailor.home");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("cli"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside a Tailor checkout: run ./tailor from the repository root, "
                + "or pass -Dtailor.home=/path/to/tailor");
    }
}
