package chat.stack;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a {@link TestStack} parameter (constructor, {@code @BeforeAll},
 * {@code @BeforeEach}, {@code @Test}): real Redis, PostgreSQL and Kafka, started once per test JVM on first use
 * and stopped when its tests are done.
 *
 * <p>Set-up code that JUnit calls without parameters, such as the static {@code @SetUpServer} method of a Helidon
 * {@code @ServerTest}, reads the same stack from {@link #shared()}: the class lists this extension before
 * {@code @ServerTest}, so that the stack is started before the server is set up.
 *
 * <p>To use servers that already run instead, set {@code CHAT_TEST_REDIS_URL}, {@code CHAT_TEST_DATABASE_URL}
 * (JDBC; with {@code CHAT_TEST_DATABASE_USER}, default {@code postgres}, and {@code CHAT_TEST_DATABASE_PASSWORD},
 * default empty) or {@code CHAT_TEST_KAFKA_BOOTSTRAP}; that server is then not started, and tests that stop or start
 * it are aborted.
 */
public final class ChatStackExtension implements ParameterResolver, BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            ChatStackExtension.class);

    /** The stack of this JVM once a test class registering the extension has started; JUnit still owns it. */
    private static final AtomicReference<TestStack> STARTED = new AtomicReference<>();

    /**
     * The shared stack, for static set-up code that cannot take a parameter.
     *
     * @throws IllegalStateException when no class registering this extension has started yet, which means the
     *                               extension is missing or listed after the one whose set-up calls this
     */
    public static TestStack shared() {
        TestStack stack = STARTED.get();
        if (stack == null) {
            throw new IllegalStateException("the test stack is not started: list @ExtendWith(ChatStackExtension.class)"
                    + " before the annotation (such as @ServerTest) whose set-up calls ChatStackExtension.shared()");
        }
        return stack;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        STARTED.set(testStack(context));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public TestStack resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return testStack(context);
    }

    private static TestStack testStack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedStack.class,
                        key -> SharedStack.start(ExternalServers.from(System.getenv())),
                        SharedStack.class)
                .testStack();
    }
}
