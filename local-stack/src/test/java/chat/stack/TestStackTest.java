package chat.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class TestStackTest {

    @Test
    void uniqueNamesKeepThePrefixInLowercaseAndUseOnlyLettersDigitsAndDashes() {
        TestStack stack = new TestStack(ExternalServers.none(), null);

        String name = stack.uniqueName("Room_42 Ä");

        assertThat(name, startsWith("room-42-"));
        assertThat(name.matches("room-42-[a-z0-9]{10}"), is(true));
    }

    @Test
    void uniqueNamesAreDistinct() {
        TestStack stack = new TestStack(ExternalServers.none(), null);
        Set<String> names = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            names.add(stack.uniqueName("topic"));
        }

        assertThat(names.size(), is(10_000));
    }

    @Test
    void externalServersAreUsedInsteadOfLocalOnes() {
        ExternalServers external = ExternalServers.from(Map.of(
                "CHAT_TEST_REDIS_URL", "redis://10.0.0.1:6379",
                "CHAT_TEST_DATABASE_URL", "jdbc:postgresql://10.0.0.2:5432/chat",
                "CHAT_TEST_DATABASE_USER", "chat",
                "CHAT_TEST_DATABASE_PASSWORD", "secret",
                "CHAT_TEST_KAFKA_BOOTSTRAP", "10.0.0.3:9092"));
        TestStack stack = new TestStack(external, null);

        assertThat(external.localServices(), is(EnumSet.noneOf(StackService.class)));
        assertThat(stack.redisUrl(), is("redis://10.0.0.1:6379"));
        assertThat(stack.databaseUrl(), is("jdbc:postgresql://10.0.0.2:5432/chat"));
        assertThat(stack.databaseUser(), is("chat"));
        assertThat(stack.databasePassword(), is("secret"));
        assertThat(stack.kafkaBootstrap(), is("10.0.0.3:9092"));
    }

    @Test
    void blankVariablesMeanTheServerIsStartedLocally() {
        ExternalServers external = ExternalServers.from(Map.of("CHAT_TEST_KAFKA_BOOTSTRAP", " "));

        assertThat(external.localServices(), is(EnumSet.allOf(StackService.class)));
    }

    @Test
    void askingForTheProcessOfAnExternalServerAbortsTheTestNamingTheVariable() {
        TestStack stack = new TestStack(ExternalServers.from(Map.of("CHAT_TEST_KAFKA_BOOTSTRAP", "10.0.0.3:9092")),
                null);

        TestAbortedException aborted = assertThrows(TestAbortedException.class, stack::kafkaServer);

        assertThat(aborted.getMessage(), containsString("CHAT_TEST_KAFKA_BOOTSTRAP"));
        assertThat(aborted.getMessage(), not(containsString("Redis")));
    }
}
