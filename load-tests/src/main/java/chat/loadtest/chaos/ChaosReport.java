package chat.loadtest.chaos;

import chat.loadtest.report.BenchmarksSection;
import chat.loadtest.report.MachineInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * The chaos run's results as Markdown: {@code report.md} under {@code load-tests/target/chaos/}, and the section of
 * BENCHMARKS.md between its markers.
 */
final class ChaosReport {

    private static final BenchmarksSection SECTION = BenchmarksSection.named("chaos");

    private final ChaosPlan plan;
    private final List<PhaseResult> results;
    private final Duration took;

    ChaosReport(ChaosPlan plan, List<PhaseResult> results, Duration took) {
        this.plan = plan;
        this.results = results;
        this.took = took;
    }

    void write(Path out, Path benchmarks) throws IOException {
        Files.writeString(out.resolve("report.md"), markdown());
        SECTION.write(benchmarks, markdown());
    }

    boolean clean() {
        return results.stream().allMatch(PhaseResult::clean);
    }

    String markdown() {
        long acked = results.stream().mapToLong(PhaseResult::acked).sum();
        StringBuilder md = new StringBuilder()
                .append("## Chaos run (load-tests)\n\n")
                .append("Measured ").append(LocalDate.now()).append(" on ").append(MachineInfo.describe())
                .append(", in ").append(took.toMinutes()).append(" min ").append(took.toSecondsPart())
                .append(" s, with\n\n```\nload-tests/chaos-run.sh ").append(plan.options()).append("\n```\n\n")
                .append(String.format("Redis (no persistence), Kafka and PostgreSQL as local processes, two chat nodes "
                        + "and the archiver as processes of their own; %d users in rooms of %d, members of each room "
                        + "on both nodes, each sending %.1f messages/s with a `cid` (about %.0f messages/s in all), "
                        + "resending with the same `cid` after `unavailable` or no ack, reconnecting to the other "
                        + "node and rejoining with `since` when their connection is gone. Each fault: struck, down "
                        + "%d s, restarted, then %d s to settle; %d users, picked at random, drop their connection 5 s "
                        + "before it strikes and come back once it is restored. %d messages acknowledged; verdict: "
                        + "**%s**.%n%n",
                        plan.users(), plan.roomSize(), plan.ratePerUser(), plan.users() * plan.ratePerUser(),
                        plan.down().toSeconds(), plan.settle().toSeconds(), plan.offline(), acked,
                        clean() ? "no acknowledged message lost or doubled" : "see the non-zero counts below"))
                .append("| phase | what was done | acked | `unavailable` | no ack | rejoins (paged) / recovered | lost "
                        + "(messages / member deliveries) | duplicate deliveries | out of order | missing in "
                        + "PostgreSQL | duplicate rows (id / room+seq / cid) | longest ack gap | longest send→ack | "
                        + "archive caught up |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PhaseResult r : results) {
            md.append(String.format("| %s | %s | %d | %d | %d | %d (%d) / %d | %d / %d | %d | %d | %d | %d / %d / %d "
                            + "| %s | %s | %s |%n",
                    r.phase().name(), r.phase().action(), r.acked(), r.unavailable(), r.unanswered(), r.rejoins(),
                    r.paged(), r.recovered(), r.lostMessages(),
                    r.lostDeliveries(), r.duplicateDeliveries(), r.outOfOrder(), r.missingInArchive(),
                    r.duplicateRows(), r.duplicateRoomSeqs(), r.duplicateCids(), seconds(r.ackGapMillis()),
                    seconds(r.longestWaitMillis()),
                    r.archiveCatchUpMillis() < 0 ? "never" : seconds(r.archiveCatchUpMillis())));
        }
        long unacked = results.stream().mapToLong(PhaseResult::deliveredUnacked).sum();
        long conflicting = results.stream().mapToLong(PhaseResult::conflictingAcks).sum();
        md.append(String.format("%nDelivered but never acknowledged: %d messages; acks contradicting an earlier ack of "
                + "the same `cid`: %d.%n%n", unacked, conflicting));
        md.append("""
                How to read it. A message counts in the phase its `ok` ack came in; a phase runs from its fault until \
                the next one. A member *should have* every acknowledged message of its room with a `seq` above the \
                `seq` its first join reported, received live or in a later join's `missed` (paged with `history` while \
                `more`); *lost* counts acknowledged messages some such member never received, *duplicate* and *out of \
                order* count deliveries of a message the member already had, or below a `seq` it already had (`seq` \
                may jump after Redis loses its data; only order counts, not contiguity). *Missing in PostgreSQL* and \
                *duplicate rows* compare the acknowledged messages with the archiver's `messages` table at the end. \
                `unavailable` and *no ack* (connection gone, or no answer in 10 s) are what the clients resent with \
                the same `cid`: allowed, and counted. *Rejoins* are joins with `since` on a new connection (*paged*: \
                those whose `missed` was cut, `more`, so the member read on with `history`; the nodes cut at 100 \
                here), *recovered* the messages they brought. *Longest ack gap* is the longest time in the phase with \
                no `ok` ack anywhere in the cluster; *longest send→ack* the longest a message of the phase waited from \
                its first send to its ack, over all resends; *archive caught up* how long after the restart every \
                message acknowledged until then was in PostgreSQL. Logs of every server life are in \
                `load-tests/target/chaos/logs/`, every ack, delivery, join and failed send in its CSV files.
                """);
        return md.toString();
    }

    private static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }
}
