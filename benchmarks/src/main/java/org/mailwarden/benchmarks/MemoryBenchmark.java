package org.mailwarden.benchmarks;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Properties;
import org.mailwarden.internal.Engine;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.chain.RealChain;

/**
 * The heap Mailwarden keeps after deciding messages to 100,000 distinct recipient domains: the whole
 * policy chain (with per-second, per-day and per-domain quotas on) runs for one message per domain,
 * with a terminal that delivers nothing. Used heap is read after full collections, before and after.
 *
 * <p>Usage: {@code java -Xmx256m -cp benchmarks.jar org.mailwarden.benchmarks.MemoryBenchmark [domains]}
 */
public final class MemoryBenchmark {
  private MemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int domains = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Properties p = DecisionPathBenchmark.properties("memory");
    p.put("mail.mailwarden.limit.recipients-per-day", "1000000000");
    p.put("mail.mailwarden.limit.domain.gmail.com.recipients-per-minute", "1000000");
    p.put("mail.mailwarden.limit.domain.example0.com.recipients-per-minute", "1000000");
    Session session = Session.getInstance(p);
    List<Policy> policies = Engine.of(session).policies();
    Policy.Connection connection = new Policy.Connection() {
      @Override
      public String server() {
        return "127.0.0.1:25";
      }

      @Override
      public boolean supportsExtension(String extension) {
        return true;
      }
    };
    RealChain.Terminal noOp = o -> new Delivered(o, o.recipients(), List.of(), List.of());
    MimeMessage m = DecisionPathBenchmark.message(session, 1, 0);
    m.saveChanges();
    decide(policies, m, "warm-up@example.com", connection, noOp);
    long before = usedAfterGc();
    long t0 = System.nanoTime();
    for (int i = 0; i < domains; i++) {
      decide(policies, m, "user@example" + i + ".com", connection, noOp);
    }
    long seconds = (System.nanoTime() - t0) / 1_000_000;
    long after = usedAfterGc();
    System.out.printf("%nMemory: %,d messages to %,d distinct recipient domains decided in %,d ms%n",
        domains, domains, seconds);
    System.out.printf("  used heap before %,d KiB, after %,d KiB: %+,d KiB retained (%.1f bytes per domain)%n",
        before / 1024, after / 1024, (after - before) / 1024, (after - before) / (double) domains);
  }

  private static void decide(List<Policy> policies, MimeMessage m, String to, Policy.Connection c,
      RealChain.Terminal t) throws MessagingException {
    RealChain.run(policies, Outgoing.of(m, "orders@shop.example.com", List.of(new InternetAddress(to))), c, t);
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
