package chat.node.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class CallerRatesTest {

    @Test
    void eachCallerHasABucketOfItsOwn() {
        CallerRates rates = new CallerRates(0.001, 2);
        assertThat(rates.tryAcquire("alice"), is(true));
        assertThat(rates.tryAcquire("alice"), is(true));
        assertThat(rates.tryAcquire("alice"), is(false));
        assertThat(rates.tryAcquire("bob"), is(true));
    }

    @Test
    void bucketsIdleLongEnoughToBeFullAgainAreForgotten() {
        CallerRates rates = new CallerRates(1000, 2);
        for (int i = 0; i < 100; i++) {
            rates.tryAcquire("caller-" + i);
        }
        assertThat(rates.callers(), is(100));
        await("idle buckets dropped").atMost(Duration.ofSeconds(5)).until(() -> {
            rates.tryAcquire("busy");
            return rates.callers() == 1;
        });
    }
}
