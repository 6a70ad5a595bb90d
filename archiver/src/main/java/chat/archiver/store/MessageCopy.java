package chat.archiver.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

import chat.common.ChatMessage;
import org.postgresql.copy.CopyIn;

/**
 * Writes messages as PostgreSQL's binary COPY stream, columns {@link #COLUMNS}: the server stores the values
 * without parsing text, and the client sends fewer bytes than text COPY.
 */
final class MessageCopy {

    static final String COLUMNS = "(id, room, seq, sender, body, sent_at, cid)";

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final short FIELDS = 7;
    /** Field count, seven lengths, and the fixed-size values: uuid, seq and sent_at. */
    private static final int FIXED_ROW_BYTES = 2 + 7 * 4 + 16 + 8 + 8;
    /** Microseconds from 1970-01-01 to 2000-01-01, the epoch of PostgreSQL's binary timestamps. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int CHUNK = 1 << 16;

    private final CopyIn copy;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);

    private MessageCopy(CopyIn copy) {
        this.copy = copy;
    }

    /** Streams the messages into the COPY operation and ends it; returns the rows the server took. */
    static long write(CopyIn copy, List<Consumed.Message> messages) throws SQLException {
        MessageCopy writer = new MessageCopy(copy);
        try {
            writer.buffer.put(SIGNATURE).putInt(0).putInt(0);
            for (Consumed.Message entry : messages) {
                writer.row(entry);
            }
            writer.room(2);
            writer.buffer.putShort((short) -1);
            writer.flush();
            return copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            // An unfinished COPY leaves the connection unusable, even for the rollback that follows.
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    private void row(Consumed.Message entry) throws SQLException {
        ChatMessage message = entry.record().message();
        byte[] room = utf8(message.room());
        byte[] sender = utf8(message.from());
        byte[] body = utf8(message.text());
        byte[] cid = message.cid() == null ? null : utf8(message.cid());
        int size = FIXED_ROW_BYTES + room.length + sender.length + body.length + (cid == null ? 0 : cid.length);
        if (size > buffer.capacity()) {
            flush();
            copy.writeToCopy(rowBuffer(size, entry, room, sender, body, cid).array(), 0, size);
            return;
        }
        room(size);
        put(buffer, entry, room, sender, body, cid);
    }

    private static ByteBuffer rowBuffer(int size, Consumed.Message entry, byte[] room, byte[] sender, byte[] body,
                                        byte[] cid) {
        ByteBuffer row = ByteBuffer.allocate(size);
        put(row, entry, room, sender, body, cid);
        return row;
    }

    private static void put(ByteBuffer out, Consumed.Message entry, byte[] room, byte[] sender, byte[] body,
                            byte[] cid) {
        ChatMessage message = entry.record().message();
        out.putShort(FIELDS);
        out.putInt(16).putLong(entry.id().getMostSignificantBits()).putLong(entry.id().getLeastSignificantBits());
        out.putInt(room.length).put(room);
        out.putInt(8).putLong(message.seq());
        out.putInt(sender.length).put(sender);
        out.putInt(body.length).put(body);
        out.putInt(8).putLong(message.ts() * 1000 - POSTGRES_EPOCH_MICROS);
        if (cid == null) {
            out.putInt(-1);
        } else {
            out.putInt(cid.length).put(cid);
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private void room(int needed) throws SQLException {
        if (buffer.remaining() < needed) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (buffer.position() > 0) {
            copy.writeToCopy(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
