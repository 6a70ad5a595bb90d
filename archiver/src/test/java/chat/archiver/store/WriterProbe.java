package chat.archiver.store;

import java.util.*;
import java.util.concurrent.*;
import chat.archiver.ArchiverSettings;
import chat.common.*;
import org.apache.kafka.common.TopicPartition;

public class WriterProbe {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int total = Integer.parseInt(args[1]);
        int batchSize = Integer.parseInt(args[2]);
        String url = args.length > 3 ? args[3] : "jdbc:postgresql://127.0.0.1:5432/archiver_probe";
        Database db = Database.open(new ArchiverSettings.Db(url, "postgres", "", 8));
        db.migrate();
        String group = "probe-" + System.nanoTime();
        OffsetTable offsets = new OffsetTable(db.client(), group);
        MessageIds ids = new MessageIds();
        Map<TopicPartition, Long> firsts = new HashMap<>();
        for (int p = 0; p < 12; p++) firsts.put(new TopicPartition("t", p), 0L);
        offsets.positions(firsts);
        // prebuild batches
        List<List<Consumed>> perThread = new ArrayList<>();
        long[] seqs = new long[1000];
        long[] next = new long[12];
        Random r = new Random(1);
        List<ArchiveBatch>[] batches = new List[threads];
        for (int t = 0; t < threads; t++) batches[t] = new ArrayList<>();
        int perBatch = batchSize;
        for (int b = 0; b < total / perBatch; b++) {
            int t = b % threads;
            List<Consumed> entries = new ArrayList<>();
            Map<TopicPartition, Long> starts = new HashMap<>();
            for (int i = 0; i < perBatch; i++) {
                int room = r.nextInt(1000);
                int p = (room % (12 / threads)) * threads + t;
                TopicPartition tp = new TopicPartition("t", p);
                starts.putIfAbsent(tp, next[p]);
                int user = r.nextInt(20000);
                ChatMessage m = new ChatMessage(ids.next(), "room-" + group + room, ++seqs[room], "user-" + user, "message " + i + " the quick brown fox jumps over the lazy dog", System.currentTimeMillis(), "c" + i);
                entries.add(new Consumed.Message(tp, next[p]++, new ArchiveRecord(m, "User " + user), UUID.fromString(m.id())));
            }
            batches[t].add(new ArchiveBatch(entries, starts));
        }
        ArchiveWriter writer = new ArchiveWriter(db.dataSource(), offsets, new MessagePartitions(db.client()));
        MessagePartitions parts = new MessagePartitions(db.client());
        parts.ensure(batches[0].get(0).months());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<ArchiveBatch> mine = batches[t];
            fs.add(pool.submit(() -> { for (ArchiveBatch b : mine) writer.writeBatch(b); return null; }));
        }
        for (Future<?> f : fs) f.get();
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("threads=%d %d msgs in %.2fs = %.0f/s%n", threads, total, s, total / s);
        pool.shutdown();
        db.close();
    }
}
