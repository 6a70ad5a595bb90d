-- Private rooms and groups, and who belongs to them: the durable record of the membership that chat nodes check
-- in Redis, written from the room changes on chat.events. A node that finds a room missing in Redis (Redis lost its
-- data) puts it back from these tables.
--
-- Every change carries the room's membership version, assigned by Redis with the change. A row keeps the version of
-- the last change applied to it and takes a change only with a higher one, so that changes produced twice or
-- arriving out of order (two nodes, one room) leave the row at the newest state, as Redis has it.

CREATE TABLE rooms (
    name        text        PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('private', 'group')),
    -- The owner of a private room, who adds and removes members; a group has none.
    owner       text,
    created_at  timestamptz NOT NULL,
    -- The version of the creation that defined the room; 0 while only later changes were seen.
    version     bigint      NOT NULL,
    archived_at timestamptz NOT NULL DEFAULT now()
);

-- One row per room and user who ever was a member; a member now has no removed_at. A removal of someone who never
-- was a member (or whose addition has not arrived yet) leaves a row without added_at, so that the addition, with
-- its lower version, cannot make them a member after all.
CREATE TABLE room_members (
    room       text        NOT NULL REFERENCES rooms (name),
    user_id    text        NOT NULL,
    added_by   text,
    added_at   timestamptz,
    removed_by text,
    removed_at timestamptz,
    version    bigint      NOT NULL,
    PRIMARY KEY (room, user_id)
);

-- The rooms a user is in now.
CREATE INDEX room_members_user ON room_members (user_id) WHERE removed_at IS NULL;
