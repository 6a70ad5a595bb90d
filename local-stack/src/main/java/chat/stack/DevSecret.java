package chat.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret the chat nodes sign dev tokens with during the local run, made once and kept in the data folder so
 * that tokens stay valid across runs.
 */
record DevSecret(String value) {

    private static final int BYTES = 32;

    static DevSecret loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return new DevSecret(Files.readString(file).trim());
            }
            byte[] random = new byte[BYTES];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, secret + "\n");
            restrictToOwner(file);
            return new DevSecret(secret);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the dev secret " + file, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
