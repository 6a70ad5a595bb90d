package chat.node.fanout;

import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1, sending the source only when Redis does not know it (first use, or after a
 * Redis restart emptied its script cache).
 */
final class LuaScript {
    private static final CommandObjects COMMANDS = new CommandObjects();
    private final String source;
    private final String sha;

    private LuaScript(String source) {
        this.source = source;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            this.sha = HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the JDK", e);
        }
    }

    static LuaScript load(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/scripts/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(source, keys, args);
        }
    }

    /** On one connection, for a script whose effects a command after it on the same connection must see. */
    Object run(Connection connection, List<String> keys, List<String> args) {
        try {
            return connection.executeCommand(COMMANDS.evalsha(sha, keys, args));
        } catch (JedisNoScriptException e) {
            return connection.executeCommand(COMMANDS.eval(source, keys, args));
        }
    }
}
