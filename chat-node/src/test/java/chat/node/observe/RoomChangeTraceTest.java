package chat.node.observe;

import chat.common.telemetry.SpanNames;
import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * A membership change is one trace from the event to the archive, as a message is, and the nodes count changes,
 * checks and the sockets they took out of a room.
 */
@ExtendWith(ChatStackExtension.class)
class RoomChangeTraceTest {
    private static final AttributeKey<String> EVENT = AttributeKey.stringKey(SpanNames.CHAT_EVENT);

    @Test
    void aRemovalIsOneTraceFromTheEventToTheArchiveAndIsCounted(TestStack stack) {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setSampler(Sampler.alwaysOn())
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build();
        String room = "p:" + stack.uniqueName("traced");
        String bob = stack.uniqueName("bob");
        try (TestCluster cluster = TestCluster.archived(stack, Map.of()).tracedBy(telemetry)) {
            cluster.startArchiver();
            cluster.start();
            cluster.start();
            String before = MetricsScrape.fetch(cluster.managementPort(1), MetricsScrape.PROMETHEUS_TEXT);
            try (SioClient owner = cluster.connect(0, stack.uniqueName("alice"));
                 SioClient member = cluster.connect(1, bob)) {
                owner.call("create_room", Map.of("room", room));
                owner.call("add_member", Map.of("room", room, "user", bob));
                member.call("join", Map.of("room", room));
                assertThat(owner.call("remove_member", Map.of("room", room, "user", bob)).path("ok").asBoolean(),
                        is(true));
                member.await("removed", r -> r.path("room").asText().equals(room));
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> receiveOf(spans, "remove_member") != null);
            SpanData receive = receiveOf(spans, "remove_member");
            String traceId = receive.getTraceId();
            assertThat(receive.getKind(), is(SpanKind.SERVER));
            SpanData script = only(spans, traceId, SpanNames.REDIS_MEMBERS);
            assertThat(script.getKind(), is(SpanKind.CLIENT));
            assertThat(script.getParentSpanId(), is(receive.getSpanId()));
            SpanData send = only(spans, traceId, SpanNames.KAFKA_SEND_ROOM);
            assertThat(send.getKind(), is(SpanKind.PRODUCER));
            assertThat(send.getParentSpanId(), is(receive.getSpanId()));
            // The archiver's batch links every record's produce span (and may be another change's trace).
            await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals(SpanNames.ARCHIVE_BATCH))
                    .flatMap(s -> s.getLinks().stream().map(LinkData::getSpanContext))
                    .anyMatch(link -> link.getSpanId().equals(send.getSpanId())));

            String after = MetricsScrape.fetch(cluster.managementPort(1), MetricsScrape.PROMETHEUS_TEXT);
            assertThat(increase(before, after, "chat_membership_changes_total"), greaterThanOrEqualTo(3.0));
            assertThat(increase(before, after, "chat_member_evictions_total"), greaterThanOrEqualTo(1.0));
            assertThat(increase(before, after, "chat_member_checks_total"), greaterThanOrEqualTo(1.0));
        } finally {
            telemetry.close();
        }
    }

    private static double increase(String before, String after, String metric) {
        return MetricsScrape.sum(after, metric) - MetricsScrape.sum(before, metric);
    }

    private static SpanData receiveOf(InMemorySpanExporter spans, String event) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(SpanNames.RECEIVE) && event.equals(s.getAttributes().get(EVENT)))
                .findFirst().orElse(null);
    }

    private static List<SpanData> inTrace(InMemorySpanExporter spans, String traceId, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId) && s.getName().equals(name))
                .toList();
    }

    private static SpanData only(InMemorySpanExporter spans, String traceId, String name) {
        List<SpanData> found = inTrace(spans, traceId, name);
        assertThat(name + " in trace " + traceId, found, hasSize(1));
        return found.getFirst();
    }
}
