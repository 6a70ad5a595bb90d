package chat.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The cluster as one node sees it, read from its reply to CLUSTER NODES: which masters serve which slots, and which
 * replica follows which master. CLUSTER NODES rather than CLUSTER SHARDS, which only Redis 7 knows: the
 * embedded-redis fallback binary is Redis 6.2.
 */
record ClusterTopology(List<ClusterTopology.Member> members) {

    /** The number of hash slots of every Redis Cluster. */
    static final int SLOTS = 16384;

    ClusterTopology {
        members = List.copyOf(members);
    }

    /** Parses a CLUSTER NODES reply: one line a node, {@code <id> <ip:port@bus> <flags> <master> ... <slots>}. */
    static ClusterTopology parse(String clusterNodes) {
        return new ClusterTopology(clusterNodes.lines()
                .filter(line -> !line.isBlank())
                .map(Member::parse)
                .toList());
    }

    Optional<Member> byId(String id) {
        return members.stream().filter(member -> member.id().equals(id)).findFirst();
    }

    /** The master this view says serves the slot; empty while none does. */
    Optional<Member> ownerOf(int slot) {
        return members.stream().filter(member -> member.isMaster() && member.serves(slot)).findFirst();
    }

    /** The masters that serve at least one slot. */
    List<Member> servingMasters() {
        return members.stream().filter(member -> member.isMaster() && member.slotCount() > 0).toList();
    }

    /** How many slots are served by a master that passes {@code test}. */
    int slotsServedBy(Predicate<Member> test) {
        return servingMasters().stream().filter(test).mapToInt(Member::slotCount).sum();
    }

    /**
     * One node of the view.
     *
     * @param masterId the id of the master it replicates, or {@code -} when it replicates none
     * @param slots    the slots it serves; slots being moved are left out
     */
    record Member(String id, int port, Set<String> flags, String masterId, List<SlotRange> slots) {

        Member {
            flags = Set.copyOf(flags);
            slots = List.copyOf(slots);
        }

        boolean isMaster() {
            return flags.contains("master");
        }

        /** Whether the node is taken for failed, by this node alone ({@code fail?}) or by the cluster. */
        boolean isFailing() {
            return flags.contains("fail") || flags.contains("fail?");
        }

        boolean serves(int slot) {
            return slots.stream().anyMatch(range -> range.first() <= slot && slot <= range.last());
        }

        int slotCount() {
            return slots.stream().mapToInt(SlotRange::size).sum();
        }

        private static Member parse(String line) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 8) {
                throw new IllegalArgumentException("Not a CLUSTER NODES line: " + line);
            }
            List<SlotRange> slots = new ArrayList<>();
            for (String slot : Arrays.asList(fields).subList(8, fields.length)) {
                // "[slot->-id]" and "[slot-<-id]" are slots migrating or importing, still served by their owner.
                if (!slot.startsWith("[")) {
                    slots.add(SlotRange.parse(slot));
                }
            }
            return new Member(fields[0], port(fields[1]), Set.of(fields[2].split(",")), fields[3], slots);
        }

        /** The client port of {@code ip:port@busport}, or of {@code ip:port@busport,hostname} since Redis 7. */
        private static int port(String address) {
            String hostAndPort = address.substring(0, address.indexOf('@'));
            return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
        }
    }

    /** The slots from {@code first} to {@code last}, both included. */
    record SlotRange(int first, int last) {

        int size() {
            return last - first + 1;
        }

        private static SlotRange parse(String slots) {
            int dash = slots.indexOf('-');
            return dash < 0
                    ? new SlotRange(Integer.parseInt(slots), Integer.parseInt(slots))
                    : new SlotRange(Integer.parseInt(slots.substring(0, dash)),
                            Integer.parseInt(slots.substring(dash + 1)));
        }
    }
}
