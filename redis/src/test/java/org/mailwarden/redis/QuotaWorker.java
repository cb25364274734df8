package org.mailwarden.redis;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.SendRefusedException;
import org.mailwarden.testing.Mails;

/**
 * Run in separate JVMs by {@link SharedRedisTest}: sends {@code threads x perThread} messages
 * through a shared Redis quota and prints one {@code RESULT} line per send: {@code RESULT sent},
 * {@code RESULT quota <retry-after millis>} or {@code RESULT other <reason code>}.
 *
 * <p>Before sending it warms up (connects to Redis and the server under another application name,
 * which uses none of the quota), prints {@code READY} and waits until the go file exists, so the
 * processes start sending together.
 *
 * <p>Arguments: redis URI, smtp port, application name, messages-per-minute, threads, per thread,
 * go file; optionally a tenant's messages-per-minute ({@code tenant.limit.messages-per-minute}): then
 * even threads send for tenant {@code acme}, odd ones for {@code globex}, and each result line ends
 * with the tenant ({@code RESULT sent acme}, {@code RESULT quota <limit> globex}).
 */
public final class QuotaWorker {
  private QuotaWorker() {}

  public static void main(String[] args) throws Exception {
    Properties p = Mails.properties(Integer.parseInt(args[1]));
    p.put("mail.mailwarden.app", args[2]);
    p.put("mail.mailwarden.store", "redis");
    p.put("mail.mailwarden.redis.uri", args[0]);
    p.put("mail.mailwarden.limit.messages-per-minute", args[3]);
    p.put("mail.mailwarden.limit.recipients-per-second", "0");
    p.put("mail.mailwarden.limit.recipients-per-day", "0");
    boolean tenants = args.length > 7;
    if (tenants) {
      p.put("mail.mailwarden.tenant.limit.messages-per-minute", args[7]);
    }
    Properties warm = new Properties();
    warm.putAll(p);
    // its own name and a quota it cannot exhaust, so warming up runs the same Redis path but uses
    // none of the quota under test
    warm.put("mail.mailwarden.app", args[2] + "-warm-up-" + ProcessHandle.current().pid());
    warm.put("mail.mailwarden.limit.messages-per-minute", "1000000");
    warm.remove("mail.mailwarden.tenant.limit.messages-per-minute");
    Session warmUp = Session.getInstance(warm);
    // a cold JVM on a busy machine may need several tries to load and connect the Redis client
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    for (int sent = 0; sent < 3; ) {
      try {
        Transport.send(Mails.message(warmUp, "warm-up@example.com"));
        sent++;
      } catch (SendRefusedException e) {
        if (e.getReason() != org.mailwarden.RefusalReason.STORE_UNAVAILABLE
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
    // more warm-up, so the timed burst runs compiled code: 4 threads x 25 sends under the warm-up name
    List<Thread> warming = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        try {
          for (int i = 0; i < 25; i++) {
            Transport.send(Mails.message(warmUp, "warm-up@example.com"));
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      thread.start();
      warming.add(thread);
    }
    for (Thread t : warming) {
      t.join();
    }
    Session session = Session.getInstance(p);
    int threads = Integer.parseInt(args[4]);
    int perThread = Integer.parseInt(args[5]);
    ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicLong first = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(threads);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      String tenant = tenants ? (t % 2 == 0 ? "acme" : "globex") : null;
      String suffix = tenants ? " " + tenant : "";
      Thread thread = new Thread(() -> {
        Transport transport;
        try {
          // each thread holds its connection before the burst, so the burst times sends only
          transport = session.getTransport();
          transport.connect();
        } catch (Exception e) {
          results.add("other " + e);
          connected.countDown();
          return;
        }
        connected.countDown();
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          first.accumulateAndGet(System.currentTimeMillis(), Math::min);
          try {
            jakarta.mail.internet.MimeMessage m = Mails.message(session, "user" + id + "-" + i + "@example.com");
            if (tenant != null) {
              org.mailwarden.Mailwarden.tenant(m, tenant);
            }
            m.saveChanges();
            transport.sendMessage(m, m.getAllRecipients());
            results.add("sent" + suffix);
          } catch (QuotaExceededException e) {
            results.add(tenants ? "quota " + e.getLimit() + suffix : "quota " + e.getRetryAfter().toMillis());
          } catch (SendRefusedException e) {
            results.add("other " + e.getReason().code() + " " + e.getMessage());
          } catch (Throwable e) {
            results.add("other " + e.toString().replace('\n', ' '));
          }
          last.accumulateAndGet(System.currentTimeMillis(), Math::max);
        }
      });
      thread.start();
      running.add(thread);
    }
    connected.await();
    System.out.println("READY");
    System.out.flush();
    java.nio.file.Path go = java.nio.file.Path.of(args[6]);
    while (!java.nio.file.Files.exists(go)) {
      Thread.sleep(1);
    }
    start.countDown();
    for (Thread t : running) {
      t.join();
    }
    for (String r : results) {
      System.out.println("RESULT " + r);
    }
    System.out.println("WINDOW " + first.get() + " " + last.get());
    System.out.flush();
    System.exit(0);
  }
}
