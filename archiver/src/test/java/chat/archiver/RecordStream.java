package chat.archiver;

import chat.common.ArchiveRecord;
import chat.common.ConnectionEvent;

/**
 * What chat nodes produce while people chat, for tests that do things to archivers meanwhile: messages in ten
 * rooms, a connection event after every fourth, a few thousand records a second, until stopped.
 */
final class RecordStream implements Runnable {

    private static final int MAX_MESSAGES = 200_000;
    private static final int EVENTS_EVERY = 4;
    private static final int PAUSE_EVERY = 200;

    private final ArchiveFixture archive;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int messages;
    private volatile int events;

    private RecordStream(ArchiveFixture archive) {
        this.archive = archive;
        this.thread = Thread.ofPlatform().name("record-stream").unstarted(this);
    }

    static RecordStream start(ArchiveFixture archive) {
        RecordStream stream = new RecordStream(archive);
        stream.thread.start();
        return stream;
    }

    @Override
    public void run() {
        String user = archive.user("streamer");
        for (int i = 0; i < MAX_MESSAGES && !stopped; i++) {
            String room = archive.room("room-" + (i % 10));
            archive.produce(new ArchiveRecord(archive.message(room, i / 10 + 1, user, "message " + i), "Streamer"));
            messages = i + 1;
            if (i % EVENTS_EVERY == 0) {
                archive.produce(new ConnectionEvent(ConnectionEvent.Type.JOIN, user, "Streamer", room, "node",
                        "socket-" + i, System.currentTimeMillis()));
                events++;
            }
            if (i % PAUSE_EVERY == 0) {
                archive.flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        archive.flush();
    }

    /** Stops producing and returns once everything produced is in Kafka. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join();
    }

    /** Messages produced; final once stopped. */
    int messages() {
        return messages;
    }

    /** Connection events produced; final once stopped. */
    int events() {
        return events;
    }
}
