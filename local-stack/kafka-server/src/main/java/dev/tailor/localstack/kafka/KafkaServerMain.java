package dev.tailor.localstack.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * Runs one Apache Kafka broker+controller (KRaft combined mode) from a {@code server.properties} file:
 * formats the storage on first start (a restart keeps the data), then runs the broker until it is asked to stop.
 * The local stack runs it through its {@code WatchedMain}, which ends it when the launcher ends.
 * Usage: {@code KafkaServerMain <server.properties>}.
 */
public final class KafkaServerMain {
    private KafkaServerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KafkaServerMain <server.properties>");
            System.exit(64);
        }
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile",
                    KafkaServerMain.class.getResource("/META-INF/tailor/kafka-log4j2.xml").toString());
        }
        String config = Path.of(args[0]).toAbsolutePath().toString();
        if (!formatted(config)) {
            int code = kafka.tools.StorageTool.execute(new String[] {"format", "--cluster-id",
                    Uuid.randomUuid().toString(), "--config", config}, System.out);
            if (code != 0) {
                System.err.println("kafka: formatting the storage with " + config + " failed (" + code + ")");
                System.exit(code);
            }
        }
        kafka.Kafka.main(new String[] {config});
    }

    /** Whether the log directory already holds a formatted node (a restart keeps its cluster id and data). */
    private static boolean formatted(String config) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(config))) {
            props.load(in);
        }
        return Files.exists(Path.of(props.getProperty("log.dirs"), "meta.properties"));
    }
}
