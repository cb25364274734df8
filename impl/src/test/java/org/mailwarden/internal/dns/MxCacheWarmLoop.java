package org.mailwarden.internal.dns;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.chain.RealChain;
import org.mailwarden.internal.config.DnsSettings;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;
import org.mailwarden.internal.policy.MxPolicy;
import org.mailwarden.testing.DnsServer;

/**
 * A one-off warm loop for the cost of a cached MX decision: {@link MxChecker#check} alone, and the
 * whole {@link MxPolicy} link for a one-recipient message. Not a test and not a JMH benchmark (the
 * JMH one goes into the benchmarks module when it exists); see docs/dns.md for the command.
 */
public final class MxCacheWarmLoop {
  private MxCacheWarmLoop() {}

  public static void main(String[] args) throws Exception {
    try (DnsServer dns = DnsServer.start("mw.example", List.of("--mx-host=mx.mw.example,mail.mw.example,10"), List.of(), List.of())) {
      MxChecker checker = new MxChecker(new DnsSettings(List.of(new InetSocketAddress("127.0.0.1", dns.port())),
          Duration.ofSeconds(2), 1, Duration.ofHours(1), Duration.ofMinutes(5), 10_000, DnsSettings.OnFailure.SEND));
      checker.check("mx.mw.example").join();
      List<Policy> chain = List.of(new MxPolicy(checker, OnInvalid.REJECT_MESSAGE));
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
      Outgoing o = Outgoing.of(m, "s@example.com", List.of(new InternetAddress("j@mx.mw.example")));
      Policy.Connection c = new Policy.Connection() {
        public String server() { return "x:25"; }
        public boolean supportsExtension(String e) { return true; }
      };
      Delivered done = new Delivered(o, List.of(), List.of(), List.of());
      RealChain.Terminal t = x -> done;
      long sink = 0;
      int n = 5_000_000;
      for (int round = 0; round < 5; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          sink += checker.check("mx.mw.example").join().kind().ordinal();
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          sink += RealChain.run(chain, o, c, t).accepted().size();
        }
        long t2 = System.nanoTime();
        System.out.printf("round %d: checker.check (cached) %.1f ns/op, MxPolicy link (1 recipient, cached) %.1f ns/op%n",
            round, (t1 - t0) / (double) n, (t2 - t1) / (double) n);
      }
      System.out.println("sink " + sink + " " + checker.stats());
    }
  }
}
