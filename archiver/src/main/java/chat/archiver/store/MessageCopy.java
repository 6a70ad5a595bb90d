package chat.archiver.store;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

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
    /** Microseconds from 1970-01-01 to 2000-01-01, the epoch of PostgreSQL's binary timestamps. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int CHUNK = 1 << 16;

    private final byte[] buffer = new byte[CHUNK];
    private int used;
    private CopyIn copy;

    private MessageCopy() {
    }

    /** Streams the messages into the COPY operation and ends it; returns the rows the server took. */
    static long write(CopyIn copy, List<Consumed.Message> messages) throws SQLException {
        MessageCopy writer = new MessageCopy();
        writer.copy = copy;
        try {
            writer.bytes(SIGNATURE);
            writer.int32(0);
            writer.int32(0);
            for (Consumed.Message entry : messages) {
                writer.row(entry.id(), entry.record().message());
            }
            writer.int16((short) -1);
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

    private void row(UUID id, ChatMessage message) throws SQLException {
        int16(FIELDS);
        int32(16);
        int64(id.getMostSignificantBits());
        int64(id.getLeastSignificantBits());
        text(message.room());
        int32(8);
        int64(message.seq());
        text(message.from());
        text(message.text());
        int32(8);
        int64(message.ts() * 1000 - POSTGRES_EPOCH_MICROS);
        text(message.cid());
    }

    private void text(String value) throws SQLException {
        if (value == null) {
            int32(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        int32(utf8.length);
        bytes(utf8);
    }

    private void int16(short value) throws SQLException {
        room(2);
        buffer[used++] = (byte) (value >>> 8);
        buffer[used++] = (byte) value;
    }

    private void int32(int value) throws SQLException {
        room(4);
        buffer[used++] = (byte) (value >>> 24);
        buffer[used++] = (byte) (value >>> 16);
        buffer[used++] = (byte) (value >>> 8);
        buffer[used++] = (byte) value;
    }

    private void int64(long value) throws SQLException {
        int32((int) (value >>> 32));
        int32((int) value);
    }

    private void bytes(byte[] value) throws SQLException {
        if (value.length > buffer.length) {
            flush();
            copy.writeToCopy(value, 0, value.length);
            return;
        }
        room(value.length);
        System.arraycopy(value, 0, buffer, used, value.length);
        used += value.length;
    }

    private void room(int needed) throws SQLException {
        if (used + needed > buffer.length) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (used > 0) {
            copy.writeToCopy(buffer, 0, used);
            used = 0;
        }
    }
}
