package chat.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ChatStackExtension.class)
class KafkaServerTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void recordWrittenBeforeStopIsReadAfterStart(TestStack stack) throws Exception {
        String topic = stack.uniqueName("restart");
        produce(stack.kafkaBootstrap(), topic, "written before stop");

        stack.kafkaServer().stop();
        stack.kafkaServer().start();

        assertThat(readAll(stack.kafkaBootstrap(), topic, 1), contains("written before stop"));
    }

    @Test
    void recordWrittenBeforeKillIsReadAfterStart(TestStack stack) throws Exception {
        String topic = stack.uniqueName("crash");
        produce(stack.kafkaBootstrap(), topic, "written before kill");

        stack.kafkaServer().kill();
        stack.kafkaServer().start();

        assertThat(readAll(stack.kafkaBootstrap(), topic, 1), contains("written before kill"));
    }

    private static void produce(String bootstrap, String topic, String value)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the topic from the beginning without a consumer group, until {@code expected} records have come. */
    private static List<String> readAll(String bootstrap, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Deadline deadline = Deadline.after(READ_TIMEOUT);
            while (values.size() < expected && !deadline.hasPassed()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
