package chat.node.chat;

import chat.common.ChatMessage;
import chat.common.UserErasure;
import chat.node.archive.Archive;
import chat.node.auth.Identity;
import chat.node.history.History;
import chat.node.telemetry.NodeMetrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An admin's erasure of a user ({@code DELETE /api/users/{user}/messages}): the user's messages are deleted, each as
 * a {@code delete} would (a tombstone in Redis and the archive, {@code message_deleted} to the room), then the
 * archiver anonymises the user's row. One call deletes a page of the messages the archive holds undeleted;
 * the caller calls again while {@code more} is true. Calling again after the end deletes nothing and anonymises
 * the row again, so a call can always be repeated.
 */
public final class Erasure {
    /**
     * Messages deleted by one call: a call stays a bounded piece of work (this many Redis scripts and Kafka records,
     * a wait of a few hundred milliseconds) however much the user wrote.
     */
    public static final int PAGE = 500;

    private final History history;
    private final MessageEditor editor;
    private final Archive archive;
    private final NodeMetrics metrics;
    private final Duration timeout;

    /**
     * @param timeout how long a call waits for Kafka to take its deletions and the erasure
     */
    public Erasure(History history, MessageEditor editor, Archive archive, NodeMetrics metrics, Duration timeout) {
        this.history = history;
        this.editor = editor;
        this.archive = archive;
        this.metrics = metrics;
        this.timeout = timeout;
    }

    /**
     * Deletes the next page of the user's messages and has the user's row anonymised; completes once Kafka holds
     * all of it.
     *
     * @throws ChatException {@code unavailable} when the archive cannot be read, which finds the messages
     */
    public CompletableFuture<Result> erase(Identity admin, String user) {
        List<ChatMessage> page = history.undeletedOf(user, PAGE);
        List<CompletableFuture<Boolean>> deletions = page.stream()
                .map(message -> editor.deleteForErasure(admin, message))
                .toList();
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
                .thenCompose(done -> archive.erase(new UserErasure(user, admin.user(), System.currentTimeMillis())))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(stored -> {
                    metrics.userErased();
                    int deleted = (int) deletions.stream().filter(CompletableFuture::join).count();
                    return new Result(user, deleted, page.size() == PAGE);
                });
    }

    /**
     * What one call did.
     *
     * @param user    the user erased
     * @param deleted messages this call deleted (the archive may still list messages deleted just before)
     * @param more    whether the page was full: call again for the rest
     */
    public record Result(String user, int deleted, boolean more) {
    }
}
