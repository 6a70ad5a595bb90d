package chat.loadtest.chaos;

/**
 * What one phase of the chaos run added up to; a message counts in the phase its ack came in, a delivery in the phase
 * it arrived in, an archive row in the phase its message was sent in.
 *
 * @param acked                messages acknowledged {@code ok}
 * @param unavailable          sends answered {@code unavailable} (allowed: the client resends with the same cid)
 * @param unanswered           sends whose connection closed or whose ack did not come in time (resent likewise)
 * @param rejoins              joins with {@code since} (a member back on a new connection)
 * @param paged                those of them whose {@code missed} was cut ({@code more}), so the member paged on
 * @param recovered            deliveries that came in those joins' {@code missed} or the {@code history} after it
 * @param lostMessages         acknowledged messages that at least one member who should have them never received
 * @param lostDeliveries       (member, acknowledged message) pairs missing, over all members
 * @param duplicateDeliveries  deliveries of a message its member already had
 * @param outOfOrder           deliveries with a {@code seq} below one the member already had from the room
 * @param deliveredUnacked     messages delivered that were never acknowledged (a send given up on or still failing)
 * @param conflictingAcks      acks for a cid already acknowledged with another message id
 * @param missingInArchive     acknowledged messages with no row in PostgreSQL at the end
 * @param duplicateRows        rows repeating a message id
 * @param duplicateRoomSeqs    rows repeating a (room, seq) with another id
 * @param duplicateCids        rows repeating a (sender, cid) with another id
 * @param ackGapMillis         the longest time in the phase without any {@code ok} ack in the cluster
 * @param longestWaitMillis    the longest time a message of the phase took from its first send to its {@code ok} ack
 * @param archiveCatchUpMillis how long after {@link Phase#restored()} every message acknowledged until then was in
 *                             PostgreSQL; -1 if one never was
 */
public record PhaseResult(Phase phase, long acked, long unavailable, long unanswered, long rejoins, long paged,
                          long recovered,
                          long lostMessages,
                          long lostDeliveries, long duplicateDeliveries, long outOfOrder, long deliveredUnacked,
                          long conflictingAcks, long missingInArchive, long duplicateRows, long duplicateRoomSeqs,
                          long duplicateCids, long ackGapMillis, long longestWaitMillis, long archiveCatchUpMillis) {

    /** Whether no acknowledged message was lost, doubled, delivered out of order, or missing in the archive. */
    public boolean clean() {
        return lostMessages == 0 && duplicateDeliveries == 0 && outOfOrder == 0 && conflictingAcks == 0
                && missingInArchive == 0 && duplicateRows == 0 && duplicateRoomSeqs == 0 && duplicateCids == 0;
    }
}
