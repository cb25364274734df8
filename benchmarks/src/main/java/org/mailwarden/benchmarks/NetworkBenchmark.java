package org.mailwarden.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Messages per second over a network path: a private Postfix {@code smtpd} on loopback that offers
 * what relays offer (STARTTLS with a test certificate, PIPELINING, CHUNKING, DSN), behind a
 * {@link DelayProxy} that adds a round trip, for every client in one run: plain Angus Mail
 * ({@code Transport.send}, one reused connection, 4 threads on reused connections), Spring's
 * {@code JavaMailSenderImpl.send(msg)}, Mailwarden ({@code Transport.send} pooled, 1 and 4 threads,
 * pipelining and chunking on) and the Vert.x mail client (pool of 4, pipelining on). Every Java
 * client does STARTTLS, required, and trusts the test certificate.
 *
 * <p>Each pass times every scenario in turn (each for {@code messages} messages or {@code seconds},
 * whichever comes first); the ratios are computed per pass and their median is reported, so a change
 * in the machine's load falls on both sides of a ratio alike.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.mailwarden.benchmarks.NetworkBenchmark [messages]
 * [passes] [seconds] [round trips in ms, comma separated]}, defaults {@code 400 5 4 1,20}.
 */
public final class NetworkBenchmark {
  private NetworkBenchmark() {}

  @FunctionalInterface
  interface Scenario {
    /** Sends until {@code budget} is used up or {@code deadline} (System.nanoTime) passed; returns the count sent. */
    int run(AtomicInteger budget, long deadline) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 4;
    List<Double> rtts = new ArrayList<>();
    for (String s : (args.length > 3 ? args[3] : "1,20").split(",")) {
      rtts.add(Double.parseDouble(s));
    }
    Vertx vertx = Vertx.vertx();
    try (PrivatePostfix postfix = PrivatePostfix.start()) {
      for (double rtt : rtts) {
        try (DelayProxy proxy = new DelayProxy(postfix.port, rtt)) {
          run(vertx, proxy.port(), rtt, n, passes, seconds);
        }
      }
    } finally {
      vertx.close();
    }
  }

  private static void run(Vertx vertx, int port, double rtt, int n, int passes, double seconds) throws Exception {
    Session plain = Session.getInstance(tls(WireBenchmark.plainProperties(port)));
    Properties mw = tls(WireBenchmark.mailwardenProperties(port, true));
    Session mailwarden = Session.getInstance(mw);
    JavaMailSenderImpl spring = new JavaMailSenderImpl();
    spring.setHost("127.0.0.1");
    spring.setPort(port);
    spring.setJavaMailProperties(tls(new Properties()));
    MailConfig config = new MailConfig().setHostname("127.0.0.1").setPort(port)
        .setStarttls(StartTLSOptions.REQUIRED).setTrustAll(true).setMaxPoolSize(4).setPipelining(true)
        .setKeepAlive(true);
    MailClient vertxClient = MailClient.create(vertx, config);

    Map<String, Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put("Angus Transport.send", (b, d) -> transportSend(plain, b, d));
    scenarios.put("Angus one reused connection", (b, d) -> reused(plain, b, d));
    scenarios.put("Angus 4 threads, one reused connection each", (b, d) -> threads(4, b, d, () -> reused(plain, b, d)));
    scenarios.put("Spring JavaMailSenderImpl.send", (b, d) -> springSend(spring, b, d));
    scenarios.put("Mailwarden Transport.send, 1 thread", (b, d) -> transportSend(mailwarden, b, d));
    scenarios.put("Mailwarden Transport.send, 4 threads",
        (b, d) -> threads(4, b, d, () -> transportSend(mailwarden, b, d)));
    scenarios.put("Vert.x mail client, pool 4, pipelining", (b, d) -> vertxSend(vertxClient, b, d));

    // warm-up: every scenario once, shortly
    for (Scenario s : scenarios.values()) {
      s.run(new AtomicInteger(Math.min(n, 50)), System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
    }
    Map<String, double[]> rates = new LinkedHashMap<>();
    scenarios.keySet().forEach(k -> rates.put(k, new double[passes]));
    for (int pass = 0; pass < passes; pass++) {
      for (Map.Entry<String, Scenario> e : scenarios.entrySet()) {
        long t0 = System.nanoTime();
        int sent = e.getValue().run(new AtomicInteger(n), t0 + (long) (seconds * 1e9));
        rates.get(e.getKey())[pass] = sent / ((System.nanoTime() - t0) / 1e9);
      }
    }
    vertxClient.close();

    System.out.printf("%nNetwork benchmark: round trip %.0f ms added by a delay proxy, Postfix smtpd with STARTTLS "
        + "(required), PIPELINING, CHUNKING, DSN; up to %d messages or %.0f s per scenario and pass, %d passes, "
        + "%d CPUs%n%n", rtt, n, seconds, passes, Runtime.getRuntime().availableProcessors());
    rates.forEach((k, v) -> System.out.printf("  %-44s %9.1f msg/s (median; passes %s)%n", k, median(v),
        Arrays.toString(Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray())));
    System.out.printf("%nRatios (median of the per-pass ratios)%n");
    ratio(rates, "Mailwarden Transport.send, 1 thread", "Angus one reused connection", ">= 2.0");
    ratio(rates, "Mailwarden Transport.send, 1 thread", "Angus Transport.send", ">= 4.0");
    ratio(rates, "Mailwarden Transport.send, 4 threads", "Vert.x mail client, pool 4, pipelining", ">= 1.5");
    ratio(rates, "Mailwarden Transport.send, 4 threads", "Angus 4 threads, one reused connection each", "");
    ratio(rates, "Mailwarden Transport.send, 1 thread", "Spring JavaMailSenderImpl.send", "");
  }

  private static void ratio(Map<String, double[]> rates, String a, String b, String target) {
    double[] x = rates.get(a);
    double[] y = rates.get(b);
    double[] r = new double[x.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = x[i] / y[i];
    }
    double m = median(r);
    String verdict = target.isEmpty() ? ""
        : "  target " + target + (m >= Double.parseDouble(target.substring(3)) ? ": met" : ": MISSED");
    System.out.printf("  %-92s %6.2f%s%n", a + " / " + b, m, verdict);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** STARTTLS required, the test certificate trusted for 127.0.0.1 (its name is checked: it is in the certificate). */
  private static Properties tls(Properties p) {
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.ssl.trust", "127.0.0.1");
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    return p;
  }

  private static MimeMessage message(Session session, int seq) throws MessagingException {
    return DecisionPathBenchmark.message(session, 1, seq);
  }

  private static int transportSend(Session session, AtomicInteger budget, long deadline) throws MessagingException {
    int sent = 0;
    while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
      Transport.send(message(session, sent));
      sent++;
    }
    return sent;
  }

  private static int reused(Session session, AtomicInteger budget, long deadline) throws MessagingException {
    int sent = 0;
    try (Transport t = session.getTransport("smtp")) {
      t.connect();
      while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
        MimeMessage m = message(session, sent);
        m.saveChanges(); // as Transport.send does
        t.sendMessage(m, m.getAllRecipients());
        sent++;
      }
    }
    return sent;
  }

  private static int springSend(JavaMailSenderImpl sender, AtomicInteger budget, long deadline)
      throws MessagingException {
    Session session = sender.getSession();
    int sent = 0;
    while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
      sender.send(message(session, sent));
      sent++;
    }
    return sent;
  }

  private static int threads(int threads, AtomicInteger budget, long deadline, Callable<Integer> each)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(each));
      }
      int sent = 0;
      for (Future<Integer> f : done) {
        sent += f.get();
      }
      return sent;
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /** Keeps 4 sends in flight (the pool's size), as 4 threads would. */
  private static int vertxSend(MailClient client, AtomicInteger budget, long deadline) throws Exception {
    Semaphore inFlight = new Semaphore(4);
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int seq = 0;
    while (System.nanoTime() < deadline && budget.getAndDecrement() > 0 && failure.get() == null) {
      inFlight.acquire();
      MailMessage m = new MailMessage().setFrom("orders@shop.example.com").setTo("customer0@example.com")
          .setSubject("Order confirmation " + seq++).setText("Thank you for your order. It ships tomorrow.\r\n");
      client.sendMail(m, ar -> {
        if (ar.succeeded()) {
          sent.incrementAndGet();
        } else {
          failure.compareAndSet(null, ar.cause());
        }
        inFlight.release();
      });
    }
    inFlight.acquire(4);
    if (failure.get() != null) {
      throw new IllegalStateException("Vert.x send failed", failure.get());
    }
    return sent.get();
  }
}
