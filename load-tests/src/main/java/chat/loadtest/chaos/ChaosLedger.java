package chat.loadtest.chaos;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the chaos run's users saw: every acknowledged message, where each member joined its room, every delivery in
 * the order each member received it, and the sends that got {@code unavailable} or no answer. Thread-safe: each user
 * records from its own threads. {@link #account} turns it, with the archive's rows, into one line per phase.
 *
 * <p>What a member should have: every acknowledged message of its room whose {@code seq} is above the {@code seq} its
 * first join reported, live or through a later join's {@code missed}, once each and in ascending {@code seq}. Sequence
 * numbers are compared only within what one member received, never for contiguity: after Redis loses its data a
 * room's {@code seq} jumps (docs/ARCHITECTURE.md), which is no loss. A message is matched by its {@code id}, which a
 * resend with the same {@code cid} keeps.
 */
public final class ChaosLedger {

    /**
     * A message its sender got an {@code ok} ack for.
     *
     * @param firstSentAt when the first attempt with this {@code cid} left, epoch ms
     * @param ackedAt     when the {@code ok} ack arrived, epoch ms
     */
    public record Ack(String room, long seq, String id, String cid, String sender, long firstSentAt, long ackedAt) {
    }

    /**
     * A message as one member received it; {@code at} in epoch ms.
     *
     * @param missed whether it came in a join's {@code missed} (or the {@code history} pages after it), not live
     */
    public record Delivery(String member, String room, long seq, String id, long at, boolean missed) {
    }

    /**
     * A join a member's connection got acknowledged, with {@code since} (-1 for none) and the ack's {@code seq};
     * {@code more} if its {@code missed} was cut and the member paged on with {@code history}.
     */
    public record Join(String member, String room, long since, long seq, long at, boolean more) {
    }

    /** A row of the archive's {@code messages} table; times in epoch ms. */
    public record Row(String id, String room, long seq, String sender, String cid, long sentAt, long archivedAt) {
    }

    private final List<Ack> acks = new ArrayList<>();
    private final Map<String, Long> joinPoints = new HashMap<>();
    private final List<Join> joins = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Long> unavailable = new ArrayList<>();
    private final List<Long> unanswered = new ArrayList<>();

    public synchronized void acked(Ack ack) {
        acks.add(ack);
    }

    /** A member's join of a room was acknowledged; only its first join sets what it should have. */
    public synchronized void joined(Join join) {
        joins.add(join);
        joinPoints.putIfAbsent(join.member() + "\n" + join.room(), join.seq());
    }

    public synchronized void delivered(Delivery delivery) {
        deliveries.add(delivery);
    }

    /** A send was answered {@code unavailable}. */
    public synchronized void unavailable(long at) {
        unavailable.add(at);
    }

    /** A send got no answer: its connection closed first, or its ack did not come in time. */
    public synchronized void unanswered(long at) {
        unanswered.add(at);
    }

    public synchronized int ackCount() {
        return acks.size();
    }

    public synchronized Set<String> ackedIds() {
        Set<String> ids = new HashSet<>();
        acks.forEach(ack -> ids.add(ack.id()));
        return ids;
    }

    /** One result per phase, each counting what happened within it; {@code archive} is every row of the run's rooms. */
    public synchronized List<PhaseResult> account(List<Phase> phases, List<Row> archive) {
        PhaseTally tally = new PhaseTally(phases);
        countAcks(tally, archive);
        countDeliveries(tally);
        countRows(tally, archive);
        unavailable.forEach(at -> tally.at(at).unavailable++);
        unanswered.forEach(at -> tally.at(at).unanswered++);
        joins.stream().filter(join -> join.since() >= 0).forEach(join -> tally.at(join.at()).rejoins++);
        joins.stream().filter(Join::more).forEach(join -> tally.at(join.at()).paged++);
        return tally.results(acks, archivedAt(archive));
    }

    private void countAcks(PhaseTally tally, List<Row> archive) {
        Map<String, Set<String>> received = new HashMap<>();
        for (Delivery delivery : deliveries) {
            received.computeIfAbsent(delivery.member() + "\n" + delivery.room(), key -> new HashSet<>())
                    .add(delivery.id());
        }
        Map<String, Long> archivedAt = archivedAt(archive);
        Map<String, Ack> byCid = new HashMap<>();
        for (Ack ack : acks) {
            PhaseTally.Counts counts = tally.at(ack.ackedAt());
            counts.acked++;
            Ack earlier = byCid.putIfAbsent(ack.sender() + "\n" + ack.cid(), ack);
            if (earlier != null && !earlier.id().equals(ack.id())) {
                counts.conflictingAcks++;
            }
            int missing = 0;
            for (Map.Entry<String, Long> join : joinPoints.entrySet()) {
                if (join.getKey().endsWith("\n" + ack.room()) && ack.seq() > join.getValue()
                        && !received.getOrDefault(join.getKey(), Set.of()).contains(ack.id())) {
                    missing++;
                }
            }
            counts.lostDeliveries += missing;
            counts.lostMessages += missing > 0 ? 1 : 0;
            if (!archivedAt.containsKey(ack.id())) {
                counts.missingInArchive++;
            }
        }
    }

    /** Writes what was recorded as CSV files into {@code dir}, for a closer look at a phase. */
    public synchronized void writeCsv(Path dir) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("acks.csv")))) {
            out.println("room,seq,id,cid,sender,first_sent_at,acked_at");
            acks.forEach(a -> out.printf("%s,%d,%s,%s,%s,%d,%d%n", a.room(), a.seq(), a.id(), a.cid(), a.sender(),
                    a.firstSentAt(), a.ackedAt()));
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("deliveries.csv")))) {
            out.println("member,room,seq,id,at,missed");
            deliveries.forEach(d -> out.printf("%s,%s,%d,%s,%d,%b%n", d.member(), d.room(), d.seq(), d.id(), d.at(),
                    d.missed()));
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("joins.csv")))) {
            out.println("member,room,since,seq,at,more");
            joins.forEach(j -> out.printf("%s,%s,%d,%d,%d,%b%n", j.member(), j.room(), j.since(), j.seq(), j.at(),
                    j.more()));
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("failed-sends.csv")))) {
            out.println("at,answer");
            unavailable.forEach(at -> out.printf("%d,unavailable%n", at));
            unanswered.forEach(at -> out.printf("%d,none%n", at));
        }
    }

    private static Map<String, Long> archivedAt(List<Row> archive) {
        Map<String, Long> archivedAt = new HashMap<>();
        archive.forEach(row -> archivedAt.merge(row.id(), row.archivedAt(), Math::min));
        return archivedAt;
    }

    private void countDeliveries(PhaseTally tally) {
        Set<String> ackedIds = ackedIds();
        Map<String, Set<String>> seen = new HashMap<>();
        Map<String, Long> highest = new HashMap<>();
        Set<String> unacked = new HashSet<>();
        for (Delivery delivery : deliveries) {
            String member = delivery.member() + "\n" + delivery.room();
            PhaseTally.Counts counts = tally.at(delivery.at());
            if (!seen.computeIfAbsent(member, key -> new HashSet<>()).add(delivery.id())) {
                counts.duplicateDeliveries++;
                continue;
            }
            Long before = highest.get(member);
            if (before != null && delivery.seq() <= before) {
                counts.outOfOrder++;
            }
            highest.merge(member, delivery.seq(), Math::max);
            if (delivery.missed()) {
                counts.recovered++;
            }
            if (!ackedIds.contains(delivery.id()) && unacked.add(delivery.id())) {
                counts.deliveredUnacked++;
            }
        }
    }

    private static void countRows(PhaseTally tally, List<Row> archive) {
        Set<String> ids = new HashSet<>();
        Set<String> roomSeqs = new HashSet<>();
        Map<String, String> cids = new HashMap<>();
        for (Row row : archive) {
            PhaseTally.Counts counts = tally.at(row.sentAt());
            if (!ids.add(row.id())) {
                counts.duplicateRows++;
                continue;
            }
            if (!roomSeqs.add(row.room() + "\n" + row.seq())) {
                counts.duplicateRoomSeqs++;
            }
            if (row.cid() != null) {
                String earlier = cids.putIfAbsent(row.sender() + "\n" + row.cid(), row.id());
                if (earlier != null) {
                    counts.duplicateCids++;
                }
            }
        }
    }
}
