package org.mailwarden.benchmarks;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * Mailwarden and Postfix's own smtp-source, in one run. Every scenario is warmed up (all of them
 * before any is timed), then timed in passes: each pass runs every scenario once, back to back, so
 * that a change in the machine's load falls on the scenarios of one pass alike. The median pass of
 * each scenario is printed, and every ratio is the median of its per-pass ratios (each compares two
 * scenarios timed seconds apart). Every Java message is built anew for each send, and
 * {@code saveChanges} is called on it once before it is sent (as {@code Transport.send} does).
 *
 * <p>Jakarta Mail 2.1 looks its {@code StreamProvider} up with a new {@code ServiceLoader} per
 * message unless the system property {@value #STREAM_PROVIDER} names the class, and reads that
 * property at every look-up. So the scenarios marked "StreamProvider named" set it for their own
 * time only, and each pass compares the same clients with and without it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.mailwarden.benchmarks.WireBenchmark [messages] [passes]}
 */
public final class WireBenchmark {
  static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";
  static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";
  private static final String NAMED = ", StreamProvider named";

  private static final String ANGUS_SEND = "Angus Transport.send";
  private static final String ANGUS_REUSED = "Angus one reused connection";
  private static final String ANGUS_4 = "Angus 4 threads, one reused connection each";
  private static final String SPRING = "Spring JavaMailSenderImpl.send";
  private static final String MW = "Mailwarden Transport.send, pooled";
  private static final String MW_4 = "Mailwarden Transport.send, 4 threads";

  private WireBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (Sink sink = Sink.start()) {
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

      // the two sides of each ratio run next to each other, and every other pass runs in reverse
      // order, so that the load of the machine falls on both sides alike; the scenarios marked
      // NAMED run with Jakarta Mail's StreamProvider named (no ServiceLoader per message)
      Map<String, Scenario> scenarios = new LinkedHashMap<>();
      scenarios.put(ANGUS_REUSED, c -> reused(plain, c));
      scenarios.put(MW, c -> transportSend(pooled, c));
      scenarios.put(MW + NAMED, streamProviderNamed(c -> transportSend(pooled, c)));
      scenarios.put(ANGUS_REUSED + NAMED, streamProviderNamed(c -> reused(plain, c)));
      scenarios.put("Angus one reused connection, with timeouts", c -> reused(plainWithTimeouts, c));
      scenarios.put(ANGUS_SEND, c -> transportSend(plain, c));
      scenarios.put(ANGUS_SEND + NAMED, streamProviderNamed(c -> transportSend(plain, c)));
      scenarios.put("Mailwarden Transport.send, pool off", c -> transportSend(unpooled, c));
      scenarios.put(SPRING, c -> springSend(spring, c));
      scenarios.put(SPRING + NAMED, streamProviderNamed(c -> springSend(spring, c)));
      scenarios.put("Spring JavaMailSenderImpl over Mailwarden", c -> springSend(springMailwarden, c));
      // the ceiling of a Java client here: plain Angus, 4 threads, each on its own reused connection
      scenarios.put(ANGUS_4, c -> threads(4, c, share -> reused(plain, share)));
      scenarios.put(MW_4, c -> threads(pooled, 4, c));
      scenarios.put(MW_4 + NAMED, streamProviderNamed(c -> threads(pooled, 4, c)));
      scenarios.put(ANGUS_4 + NAMED, streamProviderNamed(c -> threads(4, c, share -> reused(plain, share))));
      scenarios.put("smtp-source, 1 session", c -> smtpSource(sink.port, 1, c, size));
      scenarios.put("smtp-source, 4 sessions", c -> smtpSource(sink.port, 4, c, size));
      String only = System.getProperty("wire.only");
      if (only != null) { // for profiling one scenario: -Dwire.only=pooled
        scenarios.keySet().removeIf(k -> !k.contains(only));
      }
      Map<String, double[]> cpu = new LinkedHashMap<>();
      Map<String, double[]> alloc = new LinkedHashMap<>();
      Map<String, double[]> rates = measure(n, passes, scenarios, cpu, alloc);

      System.out.printf("%nWire benchmark: %d messages of %d bytes per scenario and pass, %d passes, "
          + "smtp-sink on 127.0.0.1:%d, %d CPUs%s%n%n", n, size, passes, sink.port,
          Runtime.getRuntime().availableProcessors(),
          System.getProperty(STREAM_PROVIDER) == null ? "" : ", " + STREAM_PROVIDER + " set for every scenario");
      rates.forEach((k, v) -> System.out.printf("  %-66s %7.0f msg/s (median; passes %s)%n", k, median(v),
          Arrays.toString(Arrays.stream(v).map(Math::rint).mapToLong(x -> (long) x).toArray())));
      System.out.printf("%nOn the sending thread, per message (median of the passes; the scenarios that send on "
          + "the calling thread): CPU time (less sensitive to the machine's load than the rates) and heap "
          + "allocated%n");
      cpu.forEach((k, v) -> System.out.printf("  %-66s %7.1f us CPU %8.0f bytes%n", k, median(v),
          median(alloc.get(k))));
      if (only != null) {
        return;
      }
      System.out.printf("%nRatios (median of the per-pass ratios; the passes in brackets)%n");
      ratio(rates, MW, ANGUS_REUSED, ">= 1.0");
      ratio(rates, MW_4, ANGUS_4, ">= 1.0");
      ratio(rates, MW, ANGUS_SEND, ">= 3.0");
      ratio(rates, MW_4, "smtp-source, 4 sessions", ">= 0.8");
      ratio(rates, MW, "Angus one reused connection, with timeouts", "");
      ratio(rates, "Mailwarden Transport.send, pool off", ANGUS_SEND, "");
      ratio(rates, "Spring JavaMailSenderImpl over Mailwarden", SPRING, "");
      ratio(rates, MW, "smtp-source, 1 session", "");
      System.out.printf("%nThe same with the StreamProvider named on both sides%n");
      ratio(rates, MW + NAMED, ANGUS_REUSED + NAMED, ">= 1.0");
      ratio(rates, MW_4 + NAMED, ANGUS_4 + NAMED, ">= 1.0");
      ratio(rates, MW + NAMED, ANGUS_SEND + NAMED, ">= 3.0");
      System.out.printf("%nWhat naming the StreamProvider gains (named / not named)%n");
      for (String k : List.of(ANGUS_SEND, ANGUS_REUSED, ANGUS_4, SPRING, MW, MW_4)) {
        ratio(rates, k + NAMED, k, "");
      }
    }
  }

  @FunctionalInterface
  interface Scenario {
    void run(int count) throws Exception;
  }

  /** Runs a scenario with {@value #STREAM_PROVIDER} set to Angus's provider, then restores the property. */
  private static Scenario streamProviderNamed(Scenario s) {
    return count -> {
      String before = System.setProperty(STREAM_PROVIDER, ANGUS_STREAM_PROVIDER);
      try {
        s.run(count);
      } finally {
        if (before == null) {
          System.clearProperty(STREAM_PROVIDER);
        } else {
          System.setProperty(STREAM_PROVIDER, before);
        }
      }
    };
  }

  private static void ratio(Map<String, double[]> rates, String a, String b, String target) {
    double[] x = rates.get(a);
    double[] y = rates.get(b);
    if (x == null || y == null) {
      return;
    }
    double[] r = new double[x.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = x[i] / y[i];
    }
    double m = median(r);
    String verdict = target.isEmpty() ? ""
        : "  target " + target + (m >= Double.parseDouble(target.substring(3)) ? ": met" : ": MISSED");
    System.out.printf("  %-100s %5.2f %s%s%n", a + " / " + b, m,
        Arrays.toString(Arrays.stream(r).map(v -> Math.round(v * 100) / 100.0).toArray()), verdict);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /**
   * Warms every scenario up before any is timed (the first scenario used to be timed while the code
   * it shares with the others was still being compiled), then times them pass by pass, every scenario
   * once per pass, back to back, every other pass in reverse order (a load that rises or falls during
   * a pass then favours neither neighbour). Returns the rate of each scenario in each pass.
   */
  private static Map<String, double[]> measure(int n, int passes, Map<String, Scenario> scenarios,
      Map<String, double[]> cpu, Map<String, double[]> alloc) throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int warm = 0; warm < 2; warm++) {
      for (Scenario s : scenarios.values()) {
        s.run(Math.max(500, n / 2));
      }
    }
    Map<String, double[]> rates = new LinkedHashMap<>();
    scenarios.keySet().forEach(k -> rates.put(k, new double[passes]));
    scenarios.keySet().stream().filter(k -> !k.contains("4 threads") && !k.startsWith("smtp-source"))
        .forEach(k -> {
          cpu.put(k, new double[passes]);
          alloc.put(k, new double[passes]);
        });
    List<Map.Entry<String, Scenario>> order = new ArrayList<>(scenarios.entrySet());
    for (int i = 0; i < passes; i++) {
      for (Map.Entry<String, Scenario> e : order) {
        long c0 = threads.getCurrentThreadCpuTime();
        long a0 = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        e.getValue().run(n);
        rates.get(e.getKey())[i] = n / ((System.nanoTime() - t0) / 1e9);
        if (cpu.containsKey(e.getKey())) {
          cpu.get(e.getKey())[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e3 / n;
          alloc.get(e.getKey())[i] = (double) (threads.getCurrentThreadAllocatedBytes() - a0) / n;
        }
      }
      Collections.reverse(order);
    }
    return rates;
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

  /** Postfix's C client: {@code sessions} sessions, {@code n} messages over them, each session kept. */
  private static void smtpSource(int port, int sessions, int n, int size) throws Exception {
    List<String> cmd = List.of(Sink.binary("smtp-source"), "-s", Integer.toString(sessions),
        "-m", Integer.toString(n), "-l", Integer.toString(size), "-d", "127.0.0.1:" + port);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("smtp-source failed: " + cmd);
    }
  }

  private static int size(Message m) throws Exception {
    m.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.size();
  }
}
