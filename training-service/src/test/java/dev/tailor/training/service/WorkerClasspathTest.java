package dev.tailor.training.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerClasspathTest {

    @Test
    void fastJarGivesLibMainAppAndBootJars(@TempDir Path app) throws Exception {
        for (String jar : List.of("lib/main/a.jar", "lib/main/b.jar", "app/service.jar", "lib/boot/boot.jar")) {
            Files.createDirectories(app.resolve(jar).getParent());
            Files.writeString(app.resolve(jar), "");
        }
        Files.writeString(app.resolve("lib/main/notes.txt"), "");
        String cp = WorkerClasspath.fastJar(app);
        assertEquals(List.of(app.resolve("lib/main/a.jar").toString(), app.resolve("lib/main/b.jar").toString(),
                app.resolve("app/service.jar").toString(), app.resolve("lib/boot/boot.jar").toString()),
                List.of(cp.split(File.pathSeparator)));
    }

    @Test
    void aFastJarNextToALauncherIsRecognisedAndAnOverrideWins(@TempDir Path app) throws Exception {
        Files.createDirectories(app.resolve("lib/main"));
        Files.writeString(app.resolve("lib/main/a.jar"), "");
        String cp = String.join(File.pathSeparator, app.resolve("quarkus-run.jar").toString(), "/opt/launcher.jar");
        assertEquals(app.resolve("lib/main/a.jar").toString(), WorkerClasspath.resolve(Optional.empty(), cp));
        assertEquals("/x/*", WorkerClasspath.resolve(Optional.of("/x/*"), cp));
        assertEquals("/a:/b", WorkerClasspath.resolve(Optional.empty(), "/a:/b"));
    }

    @Test
    void manifestOnlyJarGivesItsClassPath(@TempDir Path dir) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                dir.resolve("x.jar").toUri() + " classes/ lib/y%20z.jar");
        Path jar = dir.resolve("booter.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        String cp = WorkerClasspath.manifestClassPath(jar).orElseThrow();
        List<String> entries = List.of(cp.split(File.pathSeparator));
        assertEquals(dir.resolve("x.jar").toString(), entries.get(0));
        assertTrue(entries.get(1).endsWith("classes"), entries.get(1));
        assertEquals(dir.resolve("lib/y z.jar").toString(), entries.get(2));
    }
}
