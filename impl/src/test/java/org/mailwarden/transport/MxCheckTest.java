package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailwarden.testing.DnsServer.FAIL_BOUND;
import static org.mailwarden.testing.DnsServer.RETRIES;
import static org.mailwarden.testing.DnsServer.TIMEOUT;

import ch.qos.logback.classic.Level;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.internal.Engine;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.chain.RealChain;
import org.mailwarden.internal.dns.DnsStats;
import org.mailwarden.testing.DnsServer;
import org.mailwarden.testing.LogCapture;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.Running;

/**
 * {@code recipients.check-mx=true} through the transport, against a real dnsmasq on loopback: each
 * kind of DNS answer with its documented outcome, both {@code dns.on-failure} choices, and one
 * lookup for a burst of sends to a new domain.
 */
class MxCheckTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @RegisterExtension
  static final Running<DnsServer> dns = Running.perClass(DnsServer::startTestZone);

  private Properties properties(String... keyValues) {
    Properties p = Mails.properties(greenMail.getSmtp().getPort(), "mail.mailwarden.recipients.check-mx", "true",
        "mail.mailwarden.dns.servers", dns.get().address(),
        "mail.mailwarden.dns.timeout", TIMEOUT.toMillis() + "ms",
        "mail.mailwarden.dns.retries", Integer.toString(RETRIES));
    return Mails.put(p, keyValues);
  }

  private Session session(String... keyValues) {
    return Mails.session(properties(keyValues));
  }

  @Test
  void mxImplicitMxAndMxBesideANullMxAreSentTo() throws Exception {
    Session session = Mails.session(properties());
    Transport.send(Mails.message(session, "j@mx.mw.example", "j@a.mw.example", "j@AAAA.mw.example",
        "j@mixed.mw.example"));
    assertThat(greenMail.getReceivedMessages()).hasSize(4); // one copy per recipient in GreenMail
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "nullmx.mw.example|NO_MAIL_SERVER|publishes a null MX",
      "none.mw.example|NO_MAIL_SERVER|has no MX, A or AAAA record",
      "nowhere.mw.example|NO_SUCH_DOMAIN|does not exist (NXDOMAIN)"})
  void domainThatCannotReceiveMailRefusesTheMessage(String domain, RecipientReason reason, String detail) {
    Session session = Mails.session(properties());
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "j@mx.mw.example", "jane@" + domain)))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.getRejections()).singleElement().satisfies(r -> {
            assertThat(r.address().getAddress()).isEqualTo("jane@" + domain);
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.detail()).contains(domain, detail);
          });
          assertThat(e.getValidUnsentAddresses()).extracting(Address::toString)
              .containsExactly("j@mx.mw.example");
          assertThat(e.getMessage()).contains(reason.code(), "nothing was sent");
        });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void dropRecipientSendsToTheDomainsThatCanReceive() throws Exception {
    Session session = session("mail.mailwarden.recipients.on-invalid", "drop-recipient");
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "j@mx.mw.example", "j@nullmx.mw.example",
        "j@nowhere.mw.example")))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.isPartiallySent()).isTrue();
          assertThat(e.getValidSentAddresses()).extracting(Address::toString).containsExactly("j@mx.mw.example");
          assertThat(e.getRejections()).extracting(r -> r.reason())
              .containsExactly(RecipientReason.NO_MAIL_SERVER, RecipientReason.NO_SUCH_DOMAIN);
        });
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void dnsFailureSendsAnywayAndWarnsByDefaultWithinTheTimeout() throws Exception {
    Session session = Mails.session(properties());
    Transport.send(Mails.message(session, "j@mx.mw.example")); // warms the SMTP path, not timed
    try (LogCapture logs = new LogCapture()) {
      long start = System.nanoTime();
      Transport.send(Mails.message(session, "j@timeout.mw.example", "j@servfail.mw.example"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_BOUND);
      assertThat(logs.messages(Level.WARN))
          .anySatisfy(m -> assertThat(m).contains("timeout.mw.example", "dns.on-failure=send"))
          .anySatisfy(m -> assertThat(m).contains("servfail.mw.example", "SERVFAIL", "dns.on-failure=send"));
    }
    assertThat(greenMail.getReceivedMessages()).hasSize(3);
  }

  @Test
  void dnsFailureRefusesAsDnsUnavailableWhenConfiguredWithinTheTimeout() {
    Session session = session("mail.mailwarden.dns.on-failure", "refuse");
    long start = System.nanoTime();
    assertThatThrownBy(() -> Transport.send(
        Mails.message(session, "j@mx.mw.example", "j@timeout.mw.example", "j@servfail.mw.example")))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.getRejections()).extracting(r -> r.reason())
              .containsExactly(RecipientReason.DNS_UNAVAILABLE, RecipientReason.DNS_UNAVAILABLE);
          assertThat(e.getRejections().get(0).detail()).contains("no answer within");
          assertThat(e.getRejections().get(1).detail()).contains("SERVFAIL");
        });
    // both domains are looked up at the same time: one budget, not two
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_BOUND);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void withoutCheckMxNoDomainIsLookedUp() throws Exception {
    Properties p = properties();
    p.remove("mail.mailwarden.recipients.check-mx");
    Session session = Mails.session(p);
    Transport.send(Mails.message(session, "j@unasked.mw.example"));
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    assertThat(dns.get().queries("MX", "unasked.mw.example")).isZero();
    assertThat(Engine.of(session).dnsStats()).isEmpty();
  }

  @Test
  void aThousandDecisionsForOneNewDomainFromEightThreadsMakeOneLookup() throws Exception {
    Session session = session("mail.mailwarden.limit.recipients-per-second", "0",
        "mail.mailwarden.limit.recipients-per-day", "0");
    Engine engine = Engine.of(session);
    MimeMessage message = Mails.message(session, "jane@burst.mw.example");
    Outgoing outgoing = Outgoing.of(message, "sender@example.com",
        List.of(new InternetAddress("jane@burst.mw.example")));
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
    int decisions = 1000;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Delivered>> results = new ArrayList<>();
      for (int i = 0; i < decisions; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return RealChain.run(engine.policies(), outgoing, connection,
              o -> new Delivered(o, o.recipients(), List.of(), List.of()));
        }));
      }
      go.countDown();
      for (Future<Delivered> r : results) {
        assertThat(r.get().accepted()).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(dns.get().queries("MX", "burst.mw.example")).isEqualTo(1);
    DnsStats stats = engine.dnsStats().orElseThrow();
    assertThat(stats.lookups()).isEqualTo(1);
    assertThat(stats.cacheHits()).isEqualTo(decisions - 1);
    assertThat(stats.failures()).isZero();
  }
}
