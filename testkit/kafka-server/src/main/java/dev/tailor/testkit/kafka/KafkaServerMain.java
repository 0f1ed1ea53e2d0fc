package dev.tailor.testkit.kafka;

import java.nio.file.Path;
import org.apache.kafka.common.Uuid;

/**
 * Runs one Apache Kafka broker+controller (KRaft combined mode) from a {@code server.properties} file:
 * formats the storage on first start, then runs the broker until the launcher ends or asks it to stop.
 * Usage: {@code KafkaServerMain <server.properties>}.
 */
public final class KafkaServerMain {
    private KafkaServerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: KafkaServerMain <server.properties>");
            System.exit(64);
        }
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile",
                    KafkaServerMain.class.getResource("/META-INF/tailor/kafka-log4j2.xml").toString());
        }
        ParentWatch.start("kafka");
        String config = Path.of(args[0]).toAbsolutePath().toString();
        int formatted = kafka.tools.StorageTool.execute(new String[] {"format", "--ignore-formatted",
                "--cluster-id", Uuid.randomUuid().toString(), "--config", config}, System.out);
        if (formatted != 0) {
            System.err.println("kafka: formatting the storage with " + config + " failed (" + formatted + ")");
            System.exit(formatted);
        }
        kafka.Kafka.main(new String[] {config});
    }
}
