package chat.archiver.store;

import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * A batch whose partitions no longer stand where it started in {@code kafka_offsets}: another archiver of the
 * group has written them since, so this batch must not commit. Its records are already archived, or will be by
 * the partition's owner.
 */
public final class StaleBatchException extends Exception {
    public StaleBatchException(String group, Set<TopicPartition> partitions) {
        super("Group " + group + " has moved on in one of " + partitions + " since this batch was read");
    }
}
