package chat.archiver.consume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import chat.archiver.store.Consumed;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter topic: records the archive cannot hold go there unchanged, with headers saying why and where
 * they came from, so that they can be inspected, fixed and replayed.
 */
public final class DeadLetters implements AutoCloseable {

    public static final String REASON_HEADER = "chat.deadletter.reason";
    public static final String TOPIC_HEADER = "chat.deadletter.topic";
    public static final String PARTITION_HEADER = "chat.deadletter.partition";
    public static final String OFFSET_HEADER = "chat.deadletter.offset";

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    DeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * Sends the records and returns once Kafka has acknowledged every one of them.
     *
     * @throws KafkaException if one was not acknowledged; some may have been, and are sent again on a retry
     */
    void publish(List<Consumed.Rejected> rejected) {
        if (rejected.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rejected.size());
        for (Consumed.Rejected record : rejected) {
            acks.add(producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers(record))));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new KafkaException("Dead letter to " + topic + " was not acknowledged", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("Interrupted while waiting for dead letters to be acknowledged", e);
            }
        }
    }

    private static RecordHeaders headers(Consumed.Rejected record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(REASON_HEADER, utf8(record.reason()));
        headers.add(TOPIC_HEADER, utf8(record.source().topic()));
        headers.add(PARTITION_HEADER, utf8(Integer.toString(record.source().partition())));
        headers.add(OFFSET_HEADER, utf8(Long.toString(record.offset())));
        return headers;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
