package chat.node.engineio;

import io.helidon.common.buffers.BufferData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** Packets as server text frames, read back by an RFC 6455 frame reader written for the test. */
class TextFramesTest {

    @Test
    void eachPacketIsOneFinalUnmaskedTextFrameWithTheLengthEncodingItsSizeNeeds() throws IOException {
        List<String> packets = List.of("4", "x".repeat(125), "y".repeat(126), "z".repeat(65_535),
                "w".repeat(65_536), "42[\"é, 日本, 🙂\"]");

        List<String> read = new ArrayList<>();
        for (BufferData batch : TextFrames.of(packets)) {
            read.addAll(frames(batch));
        }

        assertThat(read, is(packets));
    }

    @Test
    void packetsShareBuffersUpToTheBatchSizeAndALargerOneGetsItsOwn() throws IOException {
        List<String> packets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            packets.add("42[\"message\",{\"seq\":" + i + ",\"text\":\"" + "t".repeat(500) + "\"}]");
        }
        packets.add("h".repeat(TextFrames.MAX_BATCH_BYTES * 2));

        List<BufferData> batches = TextFrames.of(packets);

        List<String> read = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (BufferData batch : batches) {
            sizes.add(batch.available());
            read.addAll(frames(batch));
        }
        assertThat(read, is(packets));
        assertThat("300 packets of ~530 bytes in 64 KiB buffers, then the large one", batches.size(), is(4));
        assertThat(sizes.subList(0, 3), everyItem(lessThanOrEqualTo(TextFrames.MAX_BATCH_BYTES)));
    }

    private static List<String> frames(BufferData batch) throws IOException {
        byte[] bytes = new byte[batch.available()];
        batch.read(bytes);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        List<String> texts = new ArrayList<>();
        while (in.available() > 0) {
            assertThat("FIN and opcode 1 (text)", in.readUnsignedByte(), is(0x81));
            int second = in.readUnsignedByte();
            assertThat("a server's frames are not masked", second & 0x80, is(0));
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            texts.add(new String(payload, StandardCharsets.UTF_8));
        }
        return texts;
    }
}
