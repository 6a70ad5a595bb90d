package chat.node.chat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a socket that dropped leaves behind for its reconnection (stored as JSON, under its user and pid, for the
 * recovery window): its id, its rooms, and what it read of them and of its direct conversations.
 *
 * @param socketId      the socket id, which a recovered socket keeps, as in Socket.IO
 * @param rooms         each joined room, with the highest seq the client provably has: the join's seq, or a
 *                      message a heartbeat confirmed
 * @param conversations each direct conversation with a message confirmed read, with the highest seq of those
 * @param unconfirmed   the offsets sent after those, in the order they were queued
 * @param complete      false when some unconfirmed offsets were dropped: only a client offset found in
 *                      {@code unconfirmed} then says what it read
 */
record SavedSession(String socketId, Map<String, Long> rooms, Map<String, Long> conversations,
                    List<String> unconfirmed, boolean complete) {

    /**
     * Where each room and conversation resumes, given the offset of the last message the client handled (null when
     * it sent none): every unconfirmed message up to that offset was read (a connection delivers in order), the
     * ones after it were not. Null when the offset does not tell.
     *
     * @return per room and conversation, the seq after which messages are to be sent again
     */
    Map<String, Long> resumePoints(String offset) {
        int lastRead = offset == null ? -1 : unconfirmed.indexOf(offset);
        if (lastRead < 0 && !complete) {
            return null;
        }
        Map<String, Long> after = new HashMap<>(conversations);
        after.putAll(rooms);
        for (int i = 0; i < unconfirmed.size(); i++) {
            String room = Offsets.room(unconfirmed.get(i));
            long seq = Offsets.seq(unconfirmed.get(i));
            boolean direct = Names.isDirectRoom(room);
            if (i <= lastRead && (direct || rooms.containsKey(room))) {
                after.merge(room, seq, Math::max);
            } else if (i > lastRead && direct) {
                // A conversation first seen among the unread: it resumes from that message.
                after.putIfAbsent(room, seq - 1);
            }
        }
        return after;
    }
}
