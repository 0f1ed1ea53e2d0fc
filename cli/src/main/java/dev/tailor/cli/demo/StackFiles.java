package dev.tailor.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a local Tailor kept up by {@code tailor up} in {@code .tailor/stack/}: {@code tailor.pid} (the
 * process that holds the stack), {@code stack.json} (its URLs and admin key, owner-only) and {@code up.log}.
 */
final class StackFiles {
    static final String DIR = ".tailor/stack";
    private final Path dir;

    StackFiles(Path root) {
        this.dir = root.resolve(DIR);
    }

    Path dir() {
        return dir;
    }

    Path log() {
        return dir.resolve("up.log");
    }

    Path info() {
        return dir.resolve("stack.json");
    }

    private Path pidFile() {
        return dir.resolve("tailor.pid");
    }

    /** The process that holds the stack, when one runs. */
    Optional<ProcessHandle> running() {
        try {
            if (!Files.isRegularFile(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            // a JVM (its command line is too long for the JDK to read whole: the class path)
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.info().command()
                    .map(c -> c.endsWith("/java")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void writePid() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(pidFile(), Long.toString(ProcessHandle.current().pid()));
    }

    /** Writes stack.json readable by its owner only (it holds an admin key). */
    void writeInfo(Map<String, Object> info) throws IOException {
        Path tmp = dir.resolve("stack.json.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Json.write(info));
        Files.move(tmp, info(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    Optional<JsonNode> readInfo() {
        try {
            return Files.isRegularFile(info()) ? Optional.of(Json.read(Files.readAllBytes(info()), JsonNode.class))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the pid file names this process. */
    boolean ownedByThisProcess() {
        try {
            return Files.isRegularFile(pidFile())
                    && Files.readString(pidFile()).strip().equals(Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Forgets the running stack (its data stays). */
    void clear() {
        try {
            Files.deleteIfExists(pidFile());
            Files.deleteIfExists(info());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
