package chat.common.telemetry;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class OpenMetricsExemplarsTest {
    private static final String EXEMPLAR =
            " # {span_id=\"e6dffb356a801aa1\",trace_id=\"3951737ac84d7e5b3edb4f828a8fce6a\"} 0.005 1795825823.077";

    @Test
    void exemplarsStayOnBucketsAndCounters() {
        String bucket = "chat_ack_latency_seconds_bucket{scope=\"application\",le=\"0.01\"} 1.0" + EXEMPLAR;
        String counter = "chat_events_total{outcome=\"ok\",type=\"message\"} 3.0" + EXEMPLAR;
        assertThat(OpenMetricsExemplars.withAllowedExemplars(bucket + "\n" + counter + "\n# EOF\n"),
                is(bucket + "\n" + counter + "\n# EOF\n"));
    }

    @Test
    void exemplarOfAHistogramCountIsDropped() {
        String count = "chat_ack_latency_seconds_count{scope=\"application\"} 1.0";
        assertThat(OpenMetricsExemplars.withAllowedExemplars("# TYPE chat_ack_latency_seconds histogram\n"
                        + count + EXEMPLAR + "\n# EOF\n"),
                is("# TYPE chat_ack_latency_seconds histogram\n" + count + "\n# EOF\n"));
    }

    @Test
    void labelValueThatLooksLikeAnExemplarIsLeftAlone() {
        String sample = "chat_disconnects_count{reason=\"odd # {x=\\\"y\\\"} 1\"} 2.0";
        assertThat(OpenMetricsExemplars.withAllowedExemplars(sample), is(sample));
    }
}
