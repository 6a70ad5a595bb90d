package chat.common.telemetry;

import io.helidon.tracing.HeaderConsumer;
import io.helidon.tracing.HeaderProvider;
import io.helidon.tracing.Scope;
import io.helidon.tracing.Span;
import io.helidon.tracing.SpanContext;
import io.helidon.tracing.Tracer;
import io.helidon.tracing.TracerBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.hamcrest.Matchers.startsWith;

class OtelTracerTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;
    private Tracer tracer;

    @BeforeEach
    void recordSpansInMemory() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
        tracer = OtelTracer.create(sdk);
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    @Test
    void spanStartedWhileAnotherIsActiveIsItsChild() {
        Span parent = tracer.spanBuilder("parent").start();
        try (Scope ignored = parent.activate()) {
            tracer.spanBuilder("child").start().end();
        }
        parent.end();

        SpanData child = finished("child");
        assertThat(child.getParentSpanId(), is(parent.context().spanId()));
        assertThat(child.getTraceId(), is(parent.context().traceId()));
    }

    @Test
    void explicitParentWinsOverTheActiveSpan() {
        Span parent = tracer.spanBuilder("parent").start();
        Span active = tracer.spanBuilder("active").start();
        try (Scope ignored = active.activate()) {
            tracer.spanBuilder("child").parent(parent.context()).start().end();
        }
        active.end();
        parent.end();

        assertThat(finished("child").getParentSpanId(), is(parent.context().spanId()));
    }

    @Test
    void tagsAndKindBecomeAttributesAndSpanKind() {
        Span span = tracer.spanBuilder("tagged")
                .kind(Span.Kind.PRODUCER)
                .tag("messaging.system", "kafka")
                .tag("retry", true)
                .start();
        span.tag("chat.seq", 42);
        span.tag("ratio", 0.5);
        span.end();

        SpanData data = finished("tagged");
        assertThat(data.getKind(), is(SpanKind.PRODUCER));
        assertThat(data.getAttributes().get(AttributeKey.stringKey("messaging.system")), is("kafka"));
        assertThat(data.getAttributes().get(AttributeKey.booleanKey("retry")), is(true));
        assertThat(data.getAttributes().get(AttributeKey.longKey("chat.seq")), is(42L));
        assertThat(data.getAttributes().get(AttributeKey.doubleKey("ratio")), is(0.5));
    }

    @Test
    void statusAndFailureAreRecorded() {
        Span ok = tracer.spanBuilder("ok").start();
        ok.status(Span.Status.OK);
        ok.end();
        tracer.spanBuilder("failed").start().end(new IllegalStateException("broker away"));

        assertThat(finished("ok").getStatus().getStatusCode(), is(StatusCode.OK));
        SpanData failed = finished("failed");
        assertThat(failed.getStatus().getStatusCode(), is(StatusCode.ERROR));
        assertThat(failed.getEvents().getFirst().getName(), is("exception"));
    }

    @Test
    void injectWritesTraceparentThatExtractTurnsBackIntoTheParent() {
        Span sender = tracer.spanBuilder("send").start();
        sender.baggage("tenant", "acme");
        Map<String, List<String>> headers = new HashMap<>();
        tracer.inject(sender.context(), HeaderProvider.empty(), HeaderConsumer.create(headers));
        sender.end();

        String traceparent = headers.get("traceparent").getFirst();
        assertThat(traceparent, startsWith("00-" + sender.context().traceId() + "-" + sender.context().spanId() + "-"));
        assertThat("sampled flag", Integer.parseInt(traceparent.substring(53), 16) & 1, is(1));
        assertThat(headers.get("baggage").getFirst(), is("tenant=acme"));

        SpanContext extracted = tracer.extract(HeaderProvider.create(headers)).orElseThrow();
        assertThat(extracted.baggage().get("tenant"), is(Optional.of("acme")));
        tracer.spanBuilder("receive").parent(extracted).start().end();
        SpanData receive = finished("receive");
        assertThat(receive.getTraceId(), is(sender.context().traceId()));
        assertThat(receive.getParentSpanId(), is(sender.context().spanId()));
    }

    @Test
    void extractWithoutTraceparentFindsNoContext() {
        assertThat(tracer.extract(HeaderProvider.create(Map.of("other", List.of("x")))), is(Optional.empty()));
    }

    @Test
    void activatedSpanIsCurrentForHelidonAndForOpenTelemetry() {
        Span span = tracer.spanBuilder("active").start();
        assertThat(Span.current(), is(Optional.empty()));
        try (Scope scope = span.activate()) {
            assertThat(Span.current().orElseThrow().context().spanId(), is(span.context().spanId()));
            assertThat(io.opentelemetry.api.trace.Span.current().getSpanContext().getSpanId(),
                    is(span.context().spanId()));
            assertThat(scope.isClosed(), is(false));
        }
        assertThat(Span.current(), is(Optional.empty()));
        span.end();
    }

    @Test
    void helidonFindsThisProviderAndItsGlobalTracer() {
        TracerBuilder<?> builder = TracerBuilder.create("chat-node").registerGlobal(false);
        assertThat(builder, instanceOf(OtelTracerBuilder.class));
        assertThat(builder.build(), instanceOf(OtelTracer.class));

        Tracer.global(tracer);
        assertThat(Tracer.global(), sameInstance(tracer));
    }

    @Test
    void spanUnwrapsToTheOpenTelemetrySpan() {
        Span span = tracer.spanBuilder("unwrapped").start();
        io.opentelemetry.api.trace.Span otel = span.unwrap(io.opentelemetry.api.trace.Span.class);
        assertThat(otel.getSpanContext().getSpanId(), is(span.context().spanId()));
        span.end();
    }

    private SpanData finished(String name) {
        return exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no finished span '" + name + "' in "
                        + exporter.getFinishedSpanItems()));
    }
}
