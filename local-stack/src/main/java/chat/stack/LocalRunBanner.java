package chat.stack;

import java.nio.file.Path;
import java.util.List;

/** What the local run prints once everything is up: where to point a browser or a client, and where things are. */
record LocalRunBanner(LocalStack stack, Path data, int healthy, List<String> unhealthy) {

    String text() {
        return """

                ==========================================================================================
                 %s Ctrl-C stops everything.

                   Open        http://localhost:8081/  and  http://localhost:8082/  (two nodes, one chat)
                   Dev token   curl -X POST localhost:8081/api/dev/token -d '{"user":"alice"}'
                   Client      io("http://localhost:8081", {auth:{token}})  (polling, then WebSocket)
                   Metrics     http://localhost:9081/observe/metrics  and  :9082 (management ports), :8090 (archiver)

                   Redis       %s
                   PostgreSQL  %s  (user %s, password %s)
                   Kafka       %s

                   Data        %s
                   Logs        %s  (services)
                               %s/{redis,postgres,kafka}/*.log  (servers)
                ==========================================================================================
                """.formatted(headline(), stack.redis().url(), stack.postgres().jdbcUrl(), stack.postgres().user(),
                stack.postgres().password(), stack.kafka().bootstrap(), data, data.resolve("logs"), data);
    }

    private String headline() {
        if (unhealthy.isEmpty() && healthy > 0) {
            return "Chat is running.";
        }
        String services = healthy == 0 ? "no service is healthy" : "not healthy: " + String.join(", ", unhealthy);
        return "Redis, PostgreSQL and Kafka are running; " + services + ".";
    }
}
