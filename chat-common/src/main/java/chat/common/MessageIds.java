package chat.common;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Creates message ids: UUIDv7 (RFC 9562), unique without coordination and ordered by creation time, which keeps
 * the archive's primary-key index append-mostly.
 */
public final class MessageIds {
    private final SecureRandom random = new SecureRandom();

    /** A new UUIDv7 string. */
    public String next() {
        long millis = System.currentTimeMillis();
        long randA = random.nextInt() & 0xFFFL;
        long randB = random.nextLong() & 0x3FFFFFFFFFFFFFFFL;
        long msb = (millis << 16) | 0x7000L | randA;
        long lsb = 0x8000000000000000L | randB;
        return new UUID(msb, lsb).toString();
    }
}
