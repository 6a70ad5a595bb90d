package chat.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

@ExtendWith(ChatStackExtension.class)
class RedisServerTest {

    @Test
    void redisAnswersPingAgainAfterStopAndStartOnTheSamePort(TestStack stack) {
        RedisServer redis = stack.redisServer();
        int port = redis.port();
        assertThat(ping(stack.redisUrl()), is("PONG"));

        redis.stop();
        assertThrows(JedisConnectionException.class, () -> ping(stack.redisUrl()));
        redis.start();

        assertThat(redis.port(), is(port));
        assertThat(ping(stack.redisUrl()), is("PONG"));
    }

    private static String ping(String url) {
        try (Jedis jedis = new Jedis(URI.create(url))) {
            return jedis.ping();
        }
    }
}
