package chat.archiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code kafka_offsets} table: per consumer group and topic partition, the offset of the next record to
 * archive. It is where an archiver resumes, and the fence that keeps a batch of a partition that has moved to
 * another archiver from committing.
 */
public final class OffsetTable {

    private static final String INSERT_MISSING = """
            INSERT INTO kafka_offsets (consumer_group, topic, partition, next_offset)
            VALUES (?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String SELECT_GROUP = """
            SELECT topic, partition, next_offset FROM kafka_offsets WHERE consumer_group = ?""";
    /** Moves each partition on only where it still stands where the batch started: a compare-and-set. */
    private static final String ADVANCE = """
            UPDATE kafka_offsets AS o
            SET next_offset = b.next_offset, updated_at = now()
            FROM unnest(?::text[], ?::int[], ?::bigint[], ?::bigint[]) AS b(topic, partition, expected, next_offset)
            WHERE o.consumer_group = ? AND o.topic = b.topic AND o.partition = b.partition
              AND o.next_offset = b.expected""";

    private final DbClient client;
    private final String group;

    public OffsetTable(DbClient client, String group) {
        this.client = client;
        this.group = group;
    }

    /**
     * Where the archive stands in each of the partitions, recording {@code firstOffsets} for partitions it has
     * never seen.
     *
     * @param firstOffsets for each partition, the offset to start from if the archive has no row for it (the
     *                     partition's log start)
     */
    public Map<TopicPartition, Long> positions(Map<TopicPartition, Long> firstOffsets) {
        DbTransaction tx = client.transaction();
        try {
            firstOffsets.forEach((partition, first) ->
                    tx.dml(INSERT_MISSING, group, partition.topic(), partition.partition(), first));
            Map<TopicPartition, Long> positions = new HashMap<>();
            try (Stream<DbRow> rows = tx.query(SELECT_GROUP, group)) {
                rows.forEach(row -> {
                    TopicPartition partition = new TopicPartition(row.column("topic").getString(),
                            row.column("partition").getInt());
                    if (firstOffsets.containsKey(partition)) {
                        positions.put(partition, row.column("next_offset").getLong());
                    }
                });
            }
            tx.commit();
            return positions;
        } catch (RuntimeException e) {
            rollbackAfter(tx, e);
            throw e;
        }
    }

    /**
     * Moves the archive's offsets past the batch, inside the batch's transaction.
     *
     * @throws StaleBatchException if a partition no longer stands where the batch started, because another
     *                             archiver has written it since; the transaction must then be rolled back
     */
    void advance(Connection connection, Map<TopicPartition, ArchiveBatch.OffsetRange> offsets)
            throws SQLException, StaleBatchException {
        int size = offsets.size();
        String[] topics = new String[size];
        int[] partitions = new int[size];
        long[] expected = new long[size];
        long[] next = new long[size];
        int i = 0;
        for (Map.Entry<TopicPartition, ArchiveBatch.OffsetRange> entry : offsets.entrySet()) {
            topics[i] = entry.getKey().topic();
            partitions[i] = entry.getKey().partition();
            expected[i] = entry.getValue().expected();
            next[i] = entry.getValue().next();
            i++;
        }
        try (PreparedStatement update = connection.prepareStatement(ADVANCE)) {
            update.setObject(1, topics);
            update.setObject(2, partitions);
            update.setObject(3, expected);
            update.setObject(4, next);
            update.setString(5, group);
            int moved = update.executeUpdate();
            if (moved != size) {
                throw new StaleBatchException(group, offsets.keySet());
            }
        }
    }

    private static void rollbackAfter(DbTransaction tx, RuntimeException failure) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
