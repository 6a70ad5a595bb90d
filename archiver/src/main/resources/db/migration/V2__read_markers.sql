-- Each user's read position per room: the highest seq they marked read, and when it got there. A marker only moves
-- forward: the archiver raises a row only with a higher seq, so the table holds the highest marker of each
-- (user, room) whatever order Kafka delivers them in and however often. Chat nodes read a user's rows back when
-- Redis no longer holds the user's markers (after Redis lost its data, or once they expired there unused).
CREATE TABLE read_markers (
    user_id    text        NOT NULL,
    room       text        NOT NULL,
    seq        bigint      NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, room)
);
