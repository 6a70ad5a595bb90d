package chat.loadtest.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The outcome of a connections run: idle sockets held, and the memory each node spent on them.
 *
 * @param target      sockets the run aimed for
 * @param connected   sockets that completed the Socket.IO handshake
 * @param failed      sockets that did not
 * @param nodes       memory of each node before and with the sockets open
 */
public record ConnectionsSummary(int target, long connected, long failed, List<NodeMemory> nodes) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One node's memory before the sockets and with them open.
     *
     * @param url     the node
     * @param sockets sockets the run opened on it
     * @param before  memory before
     * @param after   memory with the sockets open
     */
    public record NodeMemory(String url, long sockets, ProcessMemory before, ProcessMemory after) {

        public double rssPerSocketKb() {
            return sockets == 0 ? 0 : (after.rssBytes() - before.rssBytes()) / 1024.0 / sockets;
        }

        /** Heap held by each socket after a full GC; negative when the node is no JVM. */
        public double liveHeapPerSocketKb() {
            if (sockets == 0 || before.liveHeapBytes() < 0) {
                return -1;
            }
            return (after.liveHeapBytes() - before.liveHeapBytes()) / 1024.0 / sockets;
        }
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    public static ConnectionsSummary read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ConnectionsSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
