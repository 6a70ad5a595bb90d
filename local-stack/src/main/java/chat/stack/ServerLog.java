package chat.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The file a server process writes its output to; its tail goes into the error when the server fails to start. */
record ServerLog(Path path) {

    private static final int TAIL_BYTES = 4096;

    String tail() {
        if (!Files.exists(path)) {
            return "(no output in " + path + ")";
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            long start = Math.max(0, file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return "last output in " + path + ":\n" + new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + path + ": " + e + ")";
        }
    }
}
