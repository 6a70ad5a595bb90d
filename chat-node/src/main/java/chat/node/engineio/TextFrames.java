package chat.node.engineio;

import io.helidon.common.buffers.BufferData;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine.IO packets as the WebSocket text frames a server sends (RFC 6455: final, unmasked), several of them in one
 * buffer so that they reach the socket in one write.
 */
final class TextFrames {
    /** A buffer is written once it holds this much, so a long queue of large packets never makes one huge array. */
    static final int MAX_BATCH_BYTES = 64 * 1024;

    private static final int FIN_TEXT = 0x81;

    private TextFrames() {
    }

    /**
     * The frames of {@code packets}, in order, in buffers of about {@link #MAX_BATCH_BYTES} at most (one packet
     * larger than that gets a buffer of its own).
     */
    static List<BufferData> of(List<String> packets) {
        if (packets.size() == 1) {
            return List.of(frame(packets.getFirst().getBytes(StandardCharsets.UTF_8)));
        }
        List<byte[]> payloads = new ArrayList<>(packets.size());
        for (String packet : packets) {
            payloads.add(packet.getBytes(StandardCharsets.UTF_8));
        }
        List<BufferData> batches = new ArrayList<>(1);
        int first = 0;
        while (first < payloads.size()) {
            int size = 0;
            int end = first;
            while (end < payloads.size() && (end == first || size + length(payloads.get(end)) <= MAX_BATCH_BYTES)) {
                size += length(payloads.get(end));
                end++;
            }
            byte[] out = new byte[size];
            int at = 0;
            for (int i = first; i < end; i++) {
                at = put(payloads.get(i), out, at);
            }
            batches.add(BufferData.create(out));
            first = end;
        }
        return batches;
    }

    private static BufferData frame(byte[] payload) {
        byte[] out = new byte[length(payload)];
        put(payload, out, 0);
        return BufferData.create(out);
    }

    /** Header and payload: 2 bytes of header up to 125 bytes of payload, 4 up to 65,535, 10 above. */
    private static int length(byte[] payload) {
        int n = payload.length;
        return (n < 126 ? 2 : n < 65_536 ? 4 : 10) + n;
    }

    private static int put(byte[] payload, byte[] out, int at) {
        int n = payload.length;
        out[at++] = (byte) FIN_TEXT;
        if (n < 126) {
            out[at++] = (byte) n;
        } else if (n < 65_536) {
            out[at++] = 126;
            out[at++] = (byte) (n >>> 8);
            out[at++] = (byte) n;
        } else {
            out[at++] = 127;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[at++] = (byte) ((long) n >>> shift);
            }
        }
        System.arraycopy(payload, 0, out, at, n);
        return at + n;
    }
}
