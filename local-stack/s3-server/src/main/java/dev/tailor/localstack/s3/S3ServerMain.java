package dev.tailor.localstack.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Runs s3proxy on loopback with objects stored as files ({@code filesystem-nio2}) and AWS v2/v4 signatures.
 * Usage: {@code S3ServerMain <port> <dataDir> <accessKey> <secretKey>}. The local stack runs it through its
 * {@code WatchedMain}, which ends it when the launcher ends.
 */
public final class S3ServerMain {
    private S3ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: S3ServerMain <port> <dataDir> <accessKey> <secretKey>");
            System.exit(64);
        }
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile",
                    S3ServerMain.class.getResource("/META-INF/tailor/s3-logback.xml").toString());
        }
        int port = Integer.parseInt(args[0]);
        Path dataDir = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", dataDir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2").credentials(args[2], args[3])
                .overrides(overrides).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[2], args[3])
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            } catch (Exception e) {
                System.err.println("s3: stop failed: " + e);
            }
            context.close();
        }, "s3-stop"));
        proxy.start();
        System.out.println("s3: s3proxy listening on http://127.0.0.1:" + port + ", data in " + dataDir);
    }
}
