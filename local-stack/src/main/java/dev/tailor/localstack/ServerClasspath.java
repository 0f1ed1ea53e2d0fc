package dev.tailor.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The classpath of a server launcher module (tailor-kafka-server, tailor-s3-server): its own jar or classes
 * folder, found through its {@code META-INF/tailor/<name>.classpath} resource, plus the dependency jars listed in
 * that resource at build time. The local stack depends on the launchers without their dependencies, so Kafka and
 * s3proxy never reach the caller's classpath.
 */
final class ServerClasspath {
    private ServerClasspath() {
    }

    static String of(String name) {
        String resource = "META-INF/tailor/" + name + ".classpath";
        URL url = ServerClasspath.class.getClassLoader().getResource(resource);
        if (url == null) {
            url = Thread.currentThread().getContextClassLoader().getResource(resource);
        }
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the classpath: depend on dev.tailor:tailor-" + name
                    + " (built with mvn -pl local-stack/" + name + " install)");
        }
        try (InputStream in = url.openStream()) {
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return location(url, resource) + java.io.File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }

    /** The jar file or classes folder holding {@code resource}. */
    private static String location(URL url, String resource) throws IOException {
        try {
            if ("jar".equals(url.getProtocol())) {
                URL jar = ((JarURLConnection) url.openConnection()).getJarFileURL();
                return Path.of(jar.toURI()).toString();
            }
            if ("file".equals(url.getProtocol())) {
                Path file = Path.of(url.toURI());
                Path root = file;
                for (int i = 0; i < resource.split("/").length; i++) {
                    root = root.getParent();
                }
                return root.toString();
            }
        } catch (URISyntaxException e) {
            throw new IOException("unexpected URL " + url, e);
        }
        throw new IllegalStateException("cannot find the file of " + url + ": only jar: and file: URLs are supported");
    }
}
