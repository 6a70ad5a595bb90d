-- The archive: every chat message, the users who sent them or connected, the connection log, and the Kafka
-- offsets up to which all of that has been written. The archiver writes a batch of records and the offsets that
-- follow it in one transaction, so these tables are always exactly the prefix of the topics named by the offsets.

CREATE TABLE users (
    id         text        PRIMARY KEY,
    name       text,
    first_seen timestamptz NOT NULL,
    -- Kept within a minute of the latest activity: a busy user costs one row update a minute, not one per message.
    last_seen  timestamptz NOT NULL
);

-- How messages grows to billions of rows: it is range-partitioned by sent_at, one partition per calendar month
-- (UTC), created on demand by archive_ensure_month before the archiver writes a batch that reaches a new month.
-- Inserts then touch only the current month's heap and indexes, which stay small enough to sit in memory;
-- old months can be detached, moved to cheaper storage or dropped without a bulk DELETE; and vacuum works month
-- by month.
--
-- The price: PostgreSQL enforces a unique constraint on a partitioned table only if it contains the partition
-- key, so "id unique" is enforced as (id, sent_at) and "one message per (room, seq)" as (room, seq, sent_at).
-- That still rejects every replay, because a message carries its ts everywhere it travels, so a duplicate always
-- has the same sent_at and lands in the same partition as the original. It would not reject two different
-- messages claiming the same id or the same (room, seq) with different timestamps; ids are UUIDv7 and seq is
-- assigned once per room by the cluster, so that does not happen short of a bug upstream.
--
-- History reads (WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?, and WHERE room = ? AND seq > ? ORDER BY
-- seq) are served by the (room, seq, sent_at) index of each partition, merged in seq order (Merge Append), so a
-- page costs one short index descent per month kept, not a scan.
CREATE TABLE messages (
    id          uuid        NOT NULL,
    room        text        NOT NULL,
    seq         bigint      NOT NULL,
    sender      text        NOT NULL,
    body        text        NOT NULL,
    sent_at     timestamptz NOT NULL,
    archived_at timestamptz NOT NULL DEFAULT now(),
    cid         text,
    CONSTRAINT messages_id_unique PRIMARY KEY (id, sent_at),
    CONSTRAINT messages_room_seq_unique UNIQUE (room, seq, sent_at)
) PARTITION BY RANGE (sent_at);

-- Creates the partition of messages for the month that starts at month_start (a first of the month, UTC), if it
-- does not exist yet. The advisory lock makes concurrent archivers wait for each other instead of failing on the
-- catalog's unique index.
CREATE FUNCTION archive_ensure_month(month_start date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    partition_name text := 'messages_' || to_char(month_start, 'YYYY_MM');
    range_start timestamptz := month_start::timestamp AT TIME ZONE 'UTC';
    range_end timestamptz := (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF to_regclass(partition_name) IS NOT NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('archive_ensure_month'));
    IF to_regclass(partition_name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF messages FOR VALUES FROM (%L) TO (%L)',
                       partition_name, range_start, range_end);
    END IF;
END
$$;

CREATE TABLE connection_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text        NOT NULL,
    user_id     text        NOT NULL,
    user_name   text,
    room        text,
    node        text        NOT NULL,
    socket      text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    archived_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX connection_events_user ON connection_events (user_id, occurred_at);

-- Where each consumer group's archive ends, per topic partition: the offset of the next record to archive. This,
-- not Kafka's committed offset, is where an archiver resumes, and a batch commits only if the row still holds the
-- offset the batch started from, which fences out a batch of a partition that has since moved to another archiver.
CREATE TABLE kafka_offsets (
    consumer_group text        NOT NULL,
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    next_offset    bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);
