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
 * Usage: {@code S3ServerMain <port> <dataDir>} with the credentials in the environment ({@code TAILOR_S3_ACCESS_KEY},
 * {@code TAILOR_S3_SECRET_KEY}: never on the command line, which every local user can read). The local stack runs it
 * through its {@code WatchedMain}, which ends it when the launcher ends.
 */
public final class S3ServerMain {
    private S3ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        String accessKey = System.getenv("TAILOR_S3_ACCESS_KEY");
        String secretKey = System.getenv("TAILOR_S3_SECRET_KEY");
        if (args.length != 2 || accessKey == null || secretKey == null) {
            System.err.println("usage: TAILOR_S3_ACCESS_KEY=… TAILOR_S3_SECRET_KEY=… S3ServerMain <port> <dataDir>");
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
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2").credentials(accessKey, secretKey)
                .overrides(overrides).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
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
