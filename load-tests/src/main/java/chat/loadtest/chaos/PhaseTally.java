package chat.loadtest.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The counters of each phase while the ledger is accounted; a time before the first phase or after the last counts in
 * it.
 */
final class PhaseTally {

    /** Mutable counters of one phase; see {@link PhaseResult} for what each means. */
    static final class Counts {
        long acked;
        long unavailable;
        long unanswered;
        long lostMessages;
        long lostDeliveries;
        long duplicateDeliveries;
        long outOfOrder;
        long deliveredUnacked;
        long conflictingAcks;
        long missingInArchive;
        long duplicateRows;
        long duplicateRoomSeqs;
        long duplicateCids;
        long rejoins;
        long paged;
        long recovered;
    }

    private final List<Phase> phases;
    private final List<Counts> counts = new ArrayList<>();

    PhaseTally(List<Phase> phases) {
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("no phases");
        }
        this.phases = List.copyOf(phases);
        phases.forEach(phase -> counts.add(new Counts()));
    }

    Counts at(long time) {
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).contains(time)) {
                return counts.get(i);
            }
        }
        return time < phases.getFirst().start() ? counts.getFirst() : counts.getLast();
    }

    /**
     * The results, with the timings each phase's acks give.
     *
     * @param archivedAt when each archived message id was written to PostgreSQL
     */
    List<PhaseResult> results(List<ChaosLedger.Ack> acks, Map<String, Long> archivedAt) {
        List<Long> ackTimes = acks.stream().map(ChaosLedger.Ack::ackedAt).sorted().toList();
        List<PhaseResult> results = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            Counts c = counts.get(i);
            long longestWait = acks.stream().filter(ack -> phase.contains(ack.ackedAt()))
                    .mapToLong(ack -> ack.ackedAt() - ack.firstSentAt()).max().orElse(0);
            results.add(new PhaseResult(phase, c.acked, c.unavailable, c.unanswered, c.rejoins, c.paged, c.recovered,
                    c.lostMessages,
                    c.lostDeliveries, c.duplicateDeliveries, c.outOfOrder, c.deliveredUnacked, c.conflictingAcks,
                    c.missingInArchive, c.duplicateRows, c.duplicateRoomSeqs, c.duplicateCids,
                    longestGap(ackTimes, phase), longestWait, catchUp(acks, archivedAt, phase)));
        }
        return results;
    }

    /** The longest stretch within the phase, from its start to its end, with no ack in it. */
    static long longestGap(List<Long> sortedAckTimes, Phase phase) {
        long previous = phase.start();
        long longest = 0;
        for (long at : sortedAckTimes) {
            if (at < phase.start()) {
                continue;
            }
            if (at >= phase.end()) {
                break;
            }
            longest = Math.max(longest, at - previous);
            previous = at;
        }
        return Math.max(longest, phase.end() - previous);
    }

    /** How long after the phase's restore every message acknowledged before it was archived; -1 if one never was. */
    private static long catchUp(List<ChaosLedger.Ack> acks, Map<String, Long> archivedAt, Phase phase) {
        long latest = phase.restored();
        for (ChaosLedger.Ack ack : acks) {
            if (ack.ackedAt() > phase.restored()) {
                continue;
            }
            Long archived = archivedAt.get(ack.id());
            if (archived == null) {
                return -1;
            }
            latest = Math.max(latest, archived);
        }
        return latest - phase.restored();
    }
}
