package chat.loadtest.wire;

import java.nio.charset.StandardCharsets;

/**
 * Reads the few fields the load generator needs from a Socket.IO text frame's bytes, without decoding the frame
 * into a string or a JSON tree: the generator reads tens of thousands of frames a second, and what it spends on each
 * is taken from the nodes it measures. Each method returns a sentinel (-1, or false) where the frame does not have
 * the expected shape, and the caller then falls back to a full parse.
 */
final class FrameScan {

    static final byte[] MESSAGE_EVENT = ascii("42[\"message\",");
    static final byte[] ROOM_KEY = ascii("\"room\":\"");
    static final byte[] FROM_KEY = ascii("\"from\":\"");
    static final byte[] SEQ_KEY = ascii("\"seq\":");
    static final byte[] TEXT_KEY = ascii("\"text\":\"");
    static final byte[] OK_TRUE = ascii("\"ok\":true");
    private static final int MAX_DIGITS = 18;

    private FrameScan() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean startsWith(byte[] frame, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (frame[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Where {@code key} first occurs at or after {@code from}, or -1. */
    static int indexOf(byte[] frame, int length, byte[] key, int from) {
        int last = length - key.length;
        outer:
        for (int i = Math.max(0, from); i <= last; i++) {
            for (int j = 0; j < key.length; j++) {
                if (frame[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The unsigned decimal number starting at {@code at}, or -1 when there is none (or it is too long). */
    static long digitsAt(byte[] frame, int length, int at) {
        long value = 0;
        int digits = 0;
        for (int i = at; i < length && frame[i] >= '0' && frame[i] <= '9'; i++, digits++) {
            if (digits == MAX_DIGITS) {
                return -1;
            }
            value = value * 10 + (frame[i] - '0');
        }
        return digits == 0 ? -1 : value;
    }

    /** The number after {@code key} (e.g. {@code "seq":}), or -1. */
    static long numberAfter(byte[] frame, int length, byte[] key) {
        int at = indexOf(frame, length, key, 0);
        return at < 0 ? -1 : digitsAt(frame, length, at + key.length);
    }

    /**
     * Whether the JSON string value after {@code key} (which ends with its opening quote) is exactly
     * {@code expected}, closed by a quote. A value with escapes never equals a plain expected value, so an escaped
     * name is reported as different, never as the same.
     *
     * @return 1 for equal, 0 for different, -1 when the key is missing
     */
    static int stringAfterEquals(byte[] frame, int length, byte[] key, byte[] expected) {
        int at = indexOf(frame, length, key, 0);
        if (at < 0) {
            return -1;
        }
        int start = at + key.length;
        int end = start + expected.length;
        if (end >= length || frame[end] != '"') {
            return 0;
        }
        for (int i = 0; i < expected.length; i++) {
            if (frame[start + i] != expected[i]) {
                return 0;
            }
        }
        return 1;
    }

    /** The ack id of a Socket.IO ACK frame ({@code 43<id>[...]}), or -1 for any other frame. */
    static long ackId(byte[] frame, int length) {
        if (length < 4 || frame[0] != '4' || frame[1] != '3') {
            return -1;
        }
        return digitsAt(frame, length, 2);
    }
}
