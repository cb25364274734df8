package org.mailwarden.benchmarks;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak: N sends through Mailwarden's pool ({@code Transport.send}, several threads) to smtp-sink
 * behind a {@link FaultProxy} that breaks sessions at random points, then every message is accounted
 * for. Each message carries a unique {@code X-Soak-Id}; smtp-sink dumps every message it accepted
 * ({@code -D}), and the dump is counted per id. The run passes when
 *
 * <ul>
 *   <li>every send either returned (sent) or threw (failed): sent + failed == N;
 *   <li>every sent message is in the dump exactly once (none lost);
 *   <li>no message is in the dump twice (none duplicated, whatever the retries);
 *   <li>a failed message is in the dump at most once, and only as often as the proxy cut a session
 *       after the final dot or swallowed the reply to it (the server had the message, the client could
 *       not know);
 *   <li>heap (after GC) and thread count at the end are about what they were after the warm-up.
 * </ul>
 *
 * <p>Usage: {@code SoakBenchmark [N=100000] [threads=4] [cutOdds=0.0005] [stallOdds=0.00005]}; odds
 * are per SMTP command (and per final dot) seen by the proxy. Exit status 1 when an invariant fails.
 */
public final class SoakBenchmark {
  private static final int TIMEOUT_MILLIS = 500;
  private static final String ID_HEADER = "X-Soak-Id: ";

  private SoakBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    double cutOdds = args.length > 2 ? Double.parseDouble(args[2]) : 0.0005;
    double stallOdds = args.length > 3 ? Double.parseDouble(args[3]) : 0.00005;

    Path dir = Files.createTempDirectory("soak");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path dump = dir.resolve("dump");
    try (Sink sink = Sink.start("-D", dump.toString());
        FaultProxy proxy = new FaultProxy(sink.port, cutOdds, stallOdds)) {
      Session session = Session.getInstance(properties(proxy.port()));

      // warm-up, through the same proxy (its messages are counted like the others)
      int warmup = Math.min(2_000, n / 10);
      byte[] outcome = new byte[n]; // 0 not done, 1 sent, 2 failed
      Map<String, LongAdder> failures = new ConcurrentHashMap<>();
      run(session, 0, warmup, threads, outcome, failures);
      Snapshot before = Snapshot.take();

      long start = System.nanoTime();
      run(session, warmup, n, threads, outcome, failures);
      double seconds = (System.nanoTime() - start) / 1e9;
      Snapshot after = Snapshot.take();

      Thread.sleep(500); // smtp-sink writes its dump as each message ends
      sink.close();
      int[] copies = count(dump, n);

      long sent = 0;
      long failed = 0;
      long lost = 0;
      long duplicated = 0;
      long failedButDelivered = 0;
      for (int i = 0; i < n; i++) {
        if (copies[i] > 1) {
          duplicated++;
        }
        if (outcome[i] == 1) {
          sent++;
          if (copies[i] == 0) {
            lost++;
          }
        } else if (outcome[i] == 2) {
          failed++;
          if (copies[i] == 1) {
            failedButDelivered++;
          }
        }
      }
      System.out.printf("Soak: %,d messages, %d threads, cut odds %s, stall odds %s per command%n", n, threads,
          cutOdds, stallOdds);
      System.out.printf("  time (after warm-up of %,d)     %.1f s (%.0f msg/s)%n", warmup, seconds,
          (n - warmup) / seconds);
      System.out.printf("  proxy                          %s%n", proxy);
      System.out.printf("  sent                           %,d%n", sent);
      System.out.printf("  failed (reported to caller)    %,d  %s%n", failed, new TreeMap<>(failures));
      System.out.printf("  sent + failed                  %,d  (N = %,d)%n", sent + failed, n);
      System.out.printf("  sent but not received (lost)   %,d%n", lost);
      System.out.printf("  received twice or more         %,d%n", duplicated);
      System.out.printf("  failed but received once       %,d  (cuts after the dot + swallowed replies: %,d)%n",
          failedButDelivered, proxy.ambiguous());
      System.out.printf("  heap after GC                  %,d KiB -> %,d KiB%n", before.heap / 1024, after.heap / 1024);
      System.out.printf("  threads                        %d -> %d%n", before.threads, after.threads);

      boolean ok = sent + failed == n && lost == 0 && duplicated == 0
          && failedButDelivered <= proxy.ambiguous()
          && after.threads <= before.threads + 2
          && after.heap <= before.heap + 32L * 1024 * 1024;
      System.out.println(ok ? "  PASS" : "  FAIL");
      deleteQuietly(dump, dir);
      if (!ok) {
        System.exit(1);
      }
    }
  }

  private static Properties properties(int port) {
    Properties p = new Properties();
    p.put("mail.transport.protocol.rfc822", "mailwarden");
    p.put("mail.transport.protocol", "mailwarden");
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.smtp.timeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail.smtp.connectiontimeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail.smtp.writetimeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail.mailwarden.app", "soak");
    // quotas and the suppression list are not what this measures
    p.put("mail.mailwarden.limit.recipients-per-second", "0");
    p.put("mail.mailwarden.limit.recipients-per-day", "0");
    p.put("mail.mailwarden.suppression.store", "none");
    // the bounce correlation map remembers up to 100,000 sends by design (a bounded cache): off, so the
    // heap figure shows leaks and not that cache filling up
    p.put("mail.mailwarden.suppression.correlation-window", "0");
    return p;
  }

  private static void run(Session session, int from, int to, int threads, byte[] outcome,
      Map<String, LongAdder> failures) throws InterruptedException {
    AtomicInteger next = new AtomicInteger(from);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < to) {
          try {
            Transport.send(message(session, i));
            outcome[i] = 1;
          } catch (MessagingException | RuntimeException e) {
            outcome[i] = 2;
            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
          }
        }
      }, "soak-" + t);
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
  }

  private static MimeMessage message(Session session, int i) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("shop@example.com"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("customer" + (i % 1000) + "@example.com"));
    m.setSubject("Order " + i);
    m.setHeader("X-Soak-Id", Integer.toString(i));
    m.setText("Thank you for order " + i + ".");
    return m;
  }

  /** Counts the copies of each message in smtp-sink's dump by its X-Soak-Id header. */
  private static int[] count(Path dump, int n) throws IOException {
    int[] copies = new int[n];
    if (!Files.exists(dump)) {
      return copies;
    }
    try (BufferedReader r = Files.newBufferedReader(dump, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(ID_HEADER)) {
          copies[Integer.parseInt(line.substring(ID_HEADER.length()).trim())]++;
        }
      }
    }
    return copies;
  }

  private static void deleteQuietly(Path dump, Path dir) {
    try {
      Files.deleteIfExists(dump);
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temporary file left behind
    }
  }

  /** Heap in use after a full GC, and live threads other than the proxy's. */
  private record Snapshot(long heap, int threads) {
    static Snapshot take() throws InterruptedException {
      for (int i = 0; i < 3; i++) {
        System.gc();
        TimeUnit.MILLISECONDS.sleep(100);
      }
      // the proxy's own threads (two per open connection) are the test rig, not Mailwarden
      int threads = (int) Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !t.getName().startsWith("fault-proxy")).count();
      return new Snapshot(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), threads);
    }
  }
}
