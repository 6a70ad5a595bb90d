package chat.node.observe;

import chat.common.telemetry.SpanNames;
import chat.node.support.SioClient;
import chat.node.support.TestCluster;
import chat.stack.ChatStackExtension;
import chat.stack.TestStack;

import com.fasterxml.jackson.databind.JsonNode;
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
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** One message, sent on node A to a member on node B and archived, is one trace across every hop. */
@ExtendWith(ChatStackExtension.class)
class MessageTraceTest {

    @Test
    void messageFromNodeAToNodeBAndTheArchiveIsOneTraceWithEveryHop(TestStack stack) {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setSampler(Sampler.alwaysOn())
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build();
        String room = stack.uniqueName("traced");
        try (TestCluster cluster = TestCluster.archived(stack, Map.of()).tracedBy(telemetry)) {
            cluster.startArchiver();
            cluster.start();
            cluster.start();
            try (SioClient sender = cluster.connect(0, "sender");
                 SioClient member = cluster.connect(1, "member")) {
                member.call("join", Map.of("room", room));
                sender.call("join", Map.of("room", room));
                JsonNode ack = sender.call("message", Map.of("room", room, "text", "follow me"));
                assertThat(ack.toString(), ack.path("ok").asBoolean(), is(true));
                member.await("message", m -> m.path("id").asText().equals(ack.path("id").asText()));

                SpanData receive = awaitSpan(spans, SpanNames.RECEIVE);
                String traceId = receive.getTraceId();
                await().atMost(Duration.ofSeconds(30)).until(() -> inTrace(spans, traceId, SpanNames.DB_WRITE)
                        .size() == 1);

                assertThat(receive.getKind(), is(SpanKind.SERVER));
                SpanData publish = only(spans, traceId, SpanNames.REDIS_PUBLISH);
                assertThat(publish.getKind(), is(SpanKind.CLIENT));
                assertThat(publish.getParentSpanId(), is(receive.getSpanId()));
                assertThat(publish.getAttributes().asMap().toString().contains("redis"), is(true));

                SpanData send = only(spans, traceId, SpanNames.KAFKA_SEND);
                assertThat(send.getKind(), is(SpanKind.PRODUCER));
                assertThat(send.getParentSpanId(), is(receive.getSpanId()));

                // Both nodes have a member (the sender's own socket on A, the member on B): one delivery each.
                List<SpanData> deliveries = inTrace(spans, traceId, SpanNames.REDIS_DELIVER);
                assertThat(deliveries, hasSize(2));
                List<SpanData> fanouts = inTrace(spans, traceId, SpanNames.FANOUT);
                assertThat(fanouts, hasSize(2));
                for (SpanData deliver : deliveries) {
                    assertThat(deliver.getKind(), is(SpanKind.CONSUMER));
                    assertThat(deliver.getParentSpanId(), is(publish.getSpanId()));
                    assertThat(fanouts.stream().filter(f -> f.getParentSpanId().equals(deliver.getSpanId())).count(),
                            is(1L));
                }
                assertThat(fanouts.getFirst().getAttributes().asMap().toString()
                        .contains("chat.fanout.sockets=1"), is(true));

                SpanData batch = only(spans, traceId, SpanNames.ARCHIVE_BATCH);
                assertThat(batch.getKind(), is(SpanKind.CONSUMER));
                assertThat(batch.getParentSpanId(), is(send.getSpanId()));
                assertThat(batch.getLinks().stream().map(LinkData::getSpanContext)
                        .anyMatch(link -> link.getSpanId().equals(send.getSpanId())), is(true));
                SpanData write = only(spans, traceId, SpanNames.DB_WRITE);
                assertThat(write.getKind(), is(SpanKind.CLIENT));
                assertThat(write.getParentSpanId(), is(batch.getSpanId()));
            }
        } finally {
            telemetry.close();
        }
    }

    private static SpanData awaitSpan(InMemorySpanExporter spans, String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getName().equals(name)));
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
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
