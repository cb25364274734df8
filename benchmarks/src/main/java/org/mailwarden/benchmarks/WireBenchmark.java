package org.mailwarden.benchmarks;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Messages per second through real SMTP to one smtp-sink on loopback, for plain Angus Mail, Spring,
 * Mailwarden and Postfix's own smtp-source, in one run. Every Java scenario is warmed up (all of them
 * before any is timed), then the scenarios are timed in turn, {@code rounds} rounds; the median round
 * of each is reported. Every Java message is built anew for each send, and {@code saveChanges} is
 * called on it once before it is sent (as {@code Transport.send} does).
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.mailwarden.benchmarks.WireBenchmark [messages] [rounds]}
 */
public final class WireBenchmark {
  private WireBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (Sink sink = Sink.start()) {
      Map<String, Double> r = new LinkedHashMap<>();
      Session plain = Session.getInstance(plainProperties(sink.port));
      Session pooled = Session.getInstance(mailwardenProperties(sink.port, true));
      Session unpooled = Session.getInstance(mailwardenProperties(sink.port, false));
      JavaMailSenderImpl spring = new JavaMailSenderImpl();
      spring.setHost("127.0.0.1");
      spring.setPort(sink.port);
      JavaMailSenderImpl springMailwarden = new JavaMailSenderImpl();
      springMailwarden.setJavaMailProperties(mailwardenProperties(sink.port, true));
      springMailwarden.setProtocol("mailwarden");
      springMailwarden.setHost("127.0.0.1");
      springMailwarden.setPort(sink.port);
      int size = size(DecisionPathBenchmark.message(plain, 1, 0));

      // plain Angus with the timeouts Mailwarden sets by default (read and write, 10 s, one shared
      // timer as Engine's): what the bound on a hung relay costs a reused connection
      Properties withTimeouts = plainProperties(sink.port);
      withTimeouts.put("mail.smtp.connectiontimeout", "10000");
      withTimeouts.put("mail.smtp.timeout", "10000");
      withTimeouts.put("mail.smtp.writetimeout", "10000");
      withTimeouts.put("mail.smtp.executor.writetimeout", timer());
      Session plainWithTimeouts = Session.getInstance(withTimeouts);

      Map<String, Scenario> scenarios = new LinkedHashMap<>();
      scenarios.put("Angus Transport.send", c -> transportSend(plain, c));
      scenarios.put("Angus one reused connection", c -> reused(plain, c));
      scenarios.put("Angus one reused connection, with timeouts", c -> reused(plainWithTimeouts, c));
      scenarios.put("Spring JavaMailSenderImpl.send", c -> springSend(spring, c));
      scenarios.put("Spring JavaMailSenderImpl over Mailwarden", c -> springSend(springMailwarden, c));
      scenarios.put("Mailwarden Transport.send, pooled", c -> transportSend(pooled, c));
      scenarios.put("Mailwarden Transport.send, pool off", c -> transportSend(unpooled, c));
      scenarios.put("Mailwarden Transport.send, 4 threads", c -> threads(pooled, 4, c));
      // the ceiling of a Java client here: plain Angus, 4 threads, each on its own reused connection
      scenarios.put("Angus 4 threads, one reused connection each", c -> threads(4, c, share -> reused(plain, share)));
      String only = System.getProperty("wire.only");
      if (only != null) { // for profiling one scenario: -Dwire.only=pooled
        scenarios.keySet().removeIf(k -> !k.contains(only));
      }
      r.putAll(measure(n, rounds, scenarios));
      if (only != null) {
        r.forEach((k, v) -> System.out.printf("  %-44s %9.0f msg/s%n", k, v));
        return;
      }
      r.put("smtp-source, 1 session", smtpSource(sink.port, 1, n, size, rounds));
      r.put("smtp-source, 4 sessions", smtpSource(sink.port, 4, n, size, rounds));

      System.out.printf("%nWire benchmark: %d messages of %d bytes per round, median of %d rounds, "
          + "smtp-sink on 127.0.0.1:%d, %d CPUs%n%n", n, size, rounds, sink.port,
          Runtime.getRuntime().availableProcessors());
      r.forEach((k, v) -> System.out.printf("  %-44s %9.0f msg/s%n", k, v));
      double angus = r.get("Angus Transport.send");
      double reused = r.get("Angus one reused connection");
      double mw = r.get("Mailwarden Transport.send, pooled");
      double mw4 = r.get("Mailwarden Transport.send, 4 threads");
      double src4 = r.get("smtp-source, 4 sessions");
      System.out.printf("%nRatios%n");
      ratio("Mailwarden pooled / Angus Transport.send", mw / angus, ">= 3.0");
      ratio("Mailwarden pooled / Angus one reused connection", mw / reused, ">= 0.9");
      ratio("Mailwarden 4 threads / smtp-source 4 sessions", mw4 / src4, ">= 0.8");
      ratio("Mailwarden pooled / Angus reused, with timeouts",
          mw / r.get("Angus one reused connection, with timeouts"), "");
      ratio("Mailwarden pool off / Angus Transport.send", r.get("Mailwarden Transport.send, pool off") / angus, "");
      ratio("Spring over Mailwarden / Spring plain", r.get("Spring JavaMailSenderImpl over Mailwarden")
          / r.get("Spring JavaMailSenderImpl.send"), "");
      ratio("Mailwarden pooled / smtp-source 1 session", mw / r.get("smtp-source, 1 session"), "");
      ratio("Mailwarden 4 threads / Angus 4 threads on reused connections",
          mw4 / r.get("Angus 4 threads, one reused connection each"), "");
    }
  }

  @FunctionalInterface
  interface Scenario {
    void run(int count) throws Exception;
  }

  private static void ratio(String what, double value, String target) {
    String verdict = target.isEmpty() ? "" : "  target " + target + (met(value, target) ? ": met" : ": MISSED");
    System.out.printf("  %-50s %6.2f%s%n", what, value, verdict);
  }

  private static boolean met(double value, String target) {
    return value >= Double.parseDouble(target.substring(3));
  }

  /**
   * Warms every scenario up before any is timed (the first scenario used to be timed while the code
   * it shares with the others was still being compiled), then times the scenarios round by round,
   * each round in turn, so that a change in the machine's load falls on all of them alike.
   */
  private static Map<String, Double> measure(int n, int rounds, Map<String, Scenario> scenarios)
      throws Exception {
    for (int warm = 0; warm < 2; warm++) {
      for (Scenario s : scenarios.values()) {
        s.run(Math.max(500, n / 2));
      }
    }
    Map<String, double[]> rates = new LinkedHashMap<>();
    scenarios.keySet().forEach(k -> rates.put(k, new double[rounds]));
    for (int i = 0; i < rounds; i++) {
      for (Map.Entry<String, Scenario> e : scenarios.entrySet()) {
        long t0 = System.nanoTime();
        e.getValue().run(n);
        rates.get(e.getKey())[i] = n / ((System.nanoTime() - t0) / 1e9);
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    rates.forEach((k, v) -> {
      Arrays.sort(v);
      medians.put(k, v[rounds / 2]);
    });
    return medians;
  }

  /** A write-timeout timer as Mailwarden's engine builds it (no thread wake-up per write). */
  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread t = new Thread(task, "wire-write-timeout");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
    return timer;
  }

  static Properties plainProperties(int port) {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(port));
    return p;
  }

  static Properties mailwardenProperties(int port, boolean pool) {
    Properties p = DecisionPathBenchmark.properties("wire-" + UUID.randomUUID().toString().substring(0, 8));
    p.putAll(plainProperties(port));
    p.put("mail.transport.protocol", "mailwarden");
    p.put("mail.mailwarden.pool.enabled", Boolean.toString(pool));
    return p;
  }

  private static MimeMessage message(Session session, int seq) throws MessagingException {
    return DecisionPathBenchmark.message(session, 1, seq);
  }

  private static void transportSend(Session session, int count) throws MessagingException {
    for (int i = 0; i < count; i++) {
      Transport.send(message(session, i));
    }
  }

  private static void reused(Session session, int count) throws MessagingException {
    try (Transport t = session.getTransport("smtp")) {
      t.connect();
      for (int i = 0; i < count; i++) {
        MimeMessage m = message(session, i);
        m.saveChanges(); // as Transport.send does
        t.sendMessage(m, m.getAllRecipients());
      }
    }
  }

  private static void springSend(JavaMailSenderImpl sender, int count) throws MessagingException {
    Session session = sender.getSession();
    for (int i = 0; i < count; i++) {
      sender.send(message(session, i));
    }
  }

  private static void threads(Session session, int threads, int count) throws Exception {
    threads(threads, count, share -> transportSend(session, share));
  }

  private static void threads(int threads, int count, Scenario each) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int share = count / threads + (t < count % threads ? 1 : 0);
        done.add(pool.submit((Callable<Void>) () -> {
          each.run(share);
          return null;
        }));
      }
      for (Future<Void> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  private static double smtpSource(int port, int sessions, int n, int size, int rounds) throws Exception {
    double[] rates = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      List<String> cmd = List.of(Sink.binary("smtp-source"), "-s", Integer.toString(sessions),
          "-m", Integer.toString(n), "-l", Integer.toString(size), "-d", "127.0.0.1:" + port);
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("smtp-source failed: " + cmd);
      }
      rates[i] = n / ((System.nanoTime() - t0) / 1e9);
    }
    Arrays.sort(rates);
    return rates[rounds / 2];
  }

  private static int size(Message m) throws Exception {
    m.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.size();
  }
}
