package chat.stack;

import java.nio.file.Path;

/** The server.properties of a single-node KRaft Kafka that is broker and controller at once. */
record KafkaBrokerConfig(int port, int controllerPort, Path logDir) {

    String asProperties() {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                num.partitions=12
                auto.create.topics.enable=true
                # One broker: every internal topic has one replica.
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                # Fewer than the default 50 offsets partitions: the first consumer group waits for all of them.
                offsets.topic.num.partitions=12
                group.initial.rebalance.delay.ms=0
                # A broker restarted after a kill cannot register until its old session expires (default 9 s).
                broker.session.timeout.ms=4000
                broker.heartbeat.interval.ms=1000
                """.formatted(port, controllerPort, logDir.toString().replace("\\", "/"));
    }
}
