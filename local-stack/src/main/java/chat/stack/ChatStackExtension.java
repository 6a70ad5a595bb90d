package chat.stack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a {@link TestStack} parameter (constructor, {@code @BeforeAll},
 * {@code @BeforeEach}, {@code @Test}): real Redis, PostgreSQL and Kafka, started once per test JVM on first use
 * and stopped when its tests are done.
 *
 * <p>To use servers that already run instead, set {@code CHAT_TEST_REDIS_URL}, {@code CHAT_TEST_DATABASE_URL}
 * (JDBC; with {@code CHAT_TEST_DATABASE_USER}, default {@code postgres}, and {@code CHAT_TEST_DATABASE_PASSWORD},
 * default empty) or {@code CHAT_TEST_KAFKA_BOOTSTRAP}; that server is then not started, and tests that stop or start
 * it are aborted.
 */
public final class ChatStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            ChatStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public TestStack resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedStack.class,
                        key -> SharedStack.start(ExternalServers.from(System.getenv())),
                        SharedStack.class)
                .testStack();
    }
}
