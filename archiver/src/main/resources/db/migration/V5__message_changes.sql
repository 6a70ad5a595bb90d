-- Edits and deletions of messages, and users' erasure. A change is a record of its own on chat.messages (key =
-- room), with its own seq in the room; the archiver writes it here, in the batch's transaction, exactly once.

-- A message row keeps the text as first sent in body and its current state beside it: history reads
-- coalesce(edited_body, body) without a join. A deletion empties body (and every edited text, here and in
-- message_edits) so that the archive holds no text of a deleted message, only who sent it when, and who deleted it.
-- change_seq is the seq of the message's latest change; a change applies only over an older one, so a replay or a
-- change that arrives late moves nothing back.
ALTER TABLE messages
    ADD COLUMN edited_body text,
    ADD COLUMN change_seq  bigint,
    ADD COLUMN changed_at  timestamptz,
    ADD COLUMN changed_by  text,
    ADD COLUMN deleted     boolean NOT NULL DEFAULT false;

-- Finds a user's messages that still have text, for an erasure, a page at a time; a deleted message leaves the
-- index, so a page costs what it returns, however many messages the user once wrote. Every insert maintains it, so
-- it is the cheapest index found that does this: a 4-byte hash of the sender (queries compare the sender too), which
-- costs PostgreSQL about 40% more per insert where an index on the sender's text cost it about 75% more
-- (BENCHMARKS.md, "Archiver throughput").
CREATE INDEX messages_sender_live ON messages (hashtext(sender)) WHERE NOT deleted;

-- Every change, one row each: the edit history of a message (body: the text after that edit) and its tombstone
-- (kind 'delete', body NULL). (room, seq) is the change's identity, as for messages: a change produced twice, or
-- replayed after a crash, is stored once. message_sent_at, with message_id, finds the message's row and partition.
-- Changes are few next to messages, so this table is not partitioned.
CREATE TABLE message_edits (
    room            text        NOT NULL,
    seq             bigint      NOT NULL,
    message_id      uuid        NOT NULL,
    message_seq     bigint      NOT NULL,
    message_sent_at timestamptz NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('edit', 'delete')),
    body            text,
    changed_by      text        NOT NULL,
    changed_at      timestamptz NOT NULL,
    archived_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room, seq)
);

CREATE INDEX message_edits_message ON message_edits (message_id);

-- Set when an admin erased the user: the row's name (and the names in the connection log) are gone.
ALTER TABLE users ADD COLUMN erased_at timestamptz;
