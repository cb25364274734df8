package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenListener;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.internal.Environment;
import org.mailwarden.suppression.Reputation.State;
import org.mailwarden.testing.FakeTime;
import org.mailwarden.testing.Mails;

/**
 * Tenants: quotas, sending domains and reputation kept per tenant, with the application's limits on
 * top; the tenant header never reaches the server. Quotas run on a fake clock that never moves, so
 * nothing refills during a test.
 */
class TenantTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final FakeTime time = new FakeTime();
  private final Environment environment = Environment.create(time, time, nanos -> { });
  private final List<SendReport> reports = new ArrayList<>();

  @AfterEach
  void closeEnvironment() {
    environment.close();
  }

  private Session session(String... keyValues) {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.store", "memory");
    p.put("mail.mailwarden.limit.recipients-per-second", "0");
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put("mail.mailwarden." + keyValues[i], keyValues[i + 1]);
    }
    p.put("mail.mailwarden.listener", new MailwardenListener() {
      @Override
      public void sent(SendReport report) {
        synchronized (reports) {
          reports.add(report);
        }
      }
    });
    p.put(Environment.KEY, environment);
    return Mails.session(p);
  }

  private static MimeMessage message(Session session, String tenant, String from, String to) throws Exception {
    MimeMessage m = Mails.message(session, to);
    m.setFrom(new InternetAddress(from));
    m.setSubject("for " + tenant);
    return Mailwarden.tenant(m, tenant);
  }

  @Test
  void aTenantSendingFromAnotherTenantsDomainIsRefusedAsSenderNotAllowed() throws Exception {
    Session session = session("tenant.acme.senders.allow-domains", "acme.example",
        "tenant.globex.senders.allow-domains", "globex.example");

    assertThatThrownBy(() -> Mailwarden.send(message(session, "acme", "news@globex.example", "jane@example.com")))
        .isInstanceOfSatisfying(SendRefusedException.class, e -> {
          assertThat(e.getReason()).isEqualTo(RefusalReason.SENDER_NOT_ALLOWED);
          assertThat(e.getMessage()).contains("tenant.acme.senders.allow-domains");
        });
    MimeMessage onBehalf = message(session, "acme", "news@acme.example", "jane@example.com");
    onBehalf.setSender(new InternetAddress("bulk@globex.example"));
    assertThatThrownBy(() -> Mailwarden.send(onBehalf)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> assertThat(e.getReason()).isEqualTo(RefusalReason.SENDER_NOT_ALLOWED));
    assertThat(greenMail.getReceivedMessages()).isEmpty();

    Mailwarden.send(message(session, "acme", "news@acme.example", "jane@example.com"));
    Mailwarden.send(message(session, "globex", "news@globex.example", "jane@example.com"));
    assertThat(greenMail.getReceivedMessages()).hasSize(2);
  }

  @Test
  void theApplicationWideSenderRuleChecksTheSenderHeaderToo() throws Exception {
    Session session = session("senders.allow-domains", "example.com");
    MimeMessage m = Mails.message(session, "jane@example.com");
    m.setSender(new InternetAddress("bulk@elsewhere.example"));

    assertThatThrownBy(() -> Mailwarden.send(m)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> assertThat(e.getReason()).isEqualTo(RefusalReason.SENDER_NOT_ALLOWED));
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void twoTenantsWithTenPerMinuteFromEightThreadsEachGetExactlyTheirTen() throws Exception {
    Session session = session("tenant.limit.messages-per-minute", "10", "limit.messages-per-minute", "1000");
    Map<String, AtomicInteger> refusedByTenant = sendFromEightThreads(session, 20);

    assertThat(receivedByTenant()).containsOnly(Map.entry("acme", 10L), Map.entry("globex", 10L));
    assertThat(refusedByTenant.get("acme")).hasValue(10);
    assertThat(refusedByTenant.get("globex")).hasValue(10);
  }

  @Test
  void theApplicationWideLimitCapsTheSumOfTheTenants() throws Exception {
    Session session = session("tenant.limit.messages-per-minute", "10", "limit.messages-per-minute", "15");
    sendFromEightThreads(session, 20);

    Map<String, Long> received = receivedByTenant();
    assertThat(received.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(15);
    assertThat(received.values()).allSatisfy(n -> assertThat(n).isBetween(5L, 10L));
  }

  @Test
  void oneTenantsOwnLimitReplacesTheCommonOne() throws Exception {
    Session session = session("tenant.limit.messages-per-minute", "10", "tenant.limit.acme.messages-per-minute", "2");
    for (int i = 0; i < 4; i++) {
      trySend(session, "acme");
      trySend(session, "globex");
    }

    assertThat(receivedByTenant()).containsOnly(Map.entry("acme", 2L), Map.entry("globex", 4L));
    assertThatThrownBy(() -> Mailwarden.send(message(session, "acme", "a@example.com", "jane@example.com")))
        .isInstanceOfSatisfying(QuotaExceededException.class,
            e -> assertThat(e.getLimit()).isEqualTo("tenant.limit.acme.messages-per-minute"));
  }

  @Test
  void aTenantWhoseBounceRatePassesThePauseThresholdIsPausedWhileTheOtherKeepsSending() throws Exception {
    Session session = session("reputation.min-sends", "10", "reputation.window", "1h");
    for (int i = 0; i < 30; i++) {
      if (i < 10) {
        Mailwarden.send(message(session, "acme", "news@example.com", "a" + i + "@example.com"));
      }
      Mailwarden.send(message(session, "globex", "news@example.com", "g" + i + "@example.com"));
    }
    // two hard bounces of acme's messages, tied to them by Message-ID: 2 in 10 is 20% for acme, over
    // the 10% pause threshold; 2 in 40 (5%) for the application, which only warns
    List<SendReport> acme = reports.stream().filter(r -> r.tenant().orElse("").equals("acme")).toList();
    for (SendReport r : acme.subList(0, 2)) {
      Mailwarden.suppressions(session).record(new BouncedRecipient(r.accepted().get(0).toString(), "failed",
          "5.1.1", 550, "no such user", BounceReason.USERUNKNOWN, true, null, r.messageId().orElseThrow(), null));
    }

    assertThatThrownBy(() -> Mailwarden.send(message(session, "acme", "news@example.com", "new@example.com")))
        .isInstanceOfSatisfying(SendRefusedException.class, e -> {
          assertThat(e.getReason()).isEqualTo(RefusalReason.PAUSED);
          assertThat(e.getMessage()).contains("tenant acme");
        });
    Mailwarden.send(message(session, "globex", "news@example.com", "new@example.com"));
    Mailwarden.send(Mails.message(session, "untenanted@example.com"));
    assertThat(Mailwarden.reputation(session).pausedTenants()).containsExactly("acme");
    assertThat(Mailwarden.reputation(session).status().state()).isNotEqualTo(State.PAUSED);

    Mailwarden.reputation(session).resume("acme");
    Mailwarden.send(message(session, "acme", "news@example.com", "new@example.com"));
  }

  @Test
  void theTenantHeaderNeverReachesTheServerAndTheApplicationsMessageKeepsIt() throws Exception {
    Session session = session();
    MimeMessage m = message(session, "acme", "news@example.com", "jane@example.com");
    m.setSubject("Order confirmation");

    SendReport report = Mailwarden.send(m);

    MimeMessage received = greenMail.getReceivedMessages()[0];
    assertThat(received.getHeader(Mailwarden.TENANT_HEADER)).isNull();
    assertThat(com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(received))
        .doesNotContainIgnoringCase("X-Mailwarden-Tenant").doesNotContain("acme");
    assertThat(report.tenant()).contains("acme");
    assertThat(m.getHeader(Mailwarden.TENANT_HEADER)).containsExactly("acme");
  }

  @Test
  void aTenantHeaderThatIsNoTenantNameIsRefused() throws Exception {
    Session session = session();
    MimeMessage m = Mails.message(session, "jane@example.com");
    m.setHeader(Mailwarden.TENANT_HEADER, "acme corp");

    assertThatThrownBy(() -> Mailwarden.send(m)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> assertThat(e.getReason()).isEqualTo(RefusalReason.UNSUPPORTED_MESSAGE));
    assertThatThrownBy(() -> Mailwarden.tenant(m, "acme corp")).isInstanceOf(IllegalArgumentException.class);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  private void trySend(Session session, String tenant) throws Exception {
    try {
      Mailwarden.send(message(session, tenant, tenant + "@example.com", "jane@example.com"));
    } catch (QuotaExceededException expected) {
      // counted at the server
    }
  }

  /** 8 threads send {@code perTenant} messages for each of acme and globex; returns refusals by tenant. */
  private Map<String, AtomicInteger> sendFromEightThreads(Session session, int perTenant) throws Exception {
    Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    refused.put("acme", new AtomicInteger());
    refused.put("globex", new AtomicInteger());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int i = 0; i < 2 * perTenant; i++) {
        String tenant = i % 2 == 0 ? "acme" : "globex";
        done.add(pool.submit(() -> {
          start.await();
          try {
            Mailwarden.send(message(session, tenant, "news@example.com", "jane@example.com"));
          } catch (QuotaExceededException e) {
            refused.get(tenant).incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return refused;
  }

  private static Map<String, Long> receivedByTenant() throws Exception {
    List<String> subjects = new ArrayList<>();
    for (MimeMessage m : greenMail.getReceivedMessages()) {
      subjects.add(m.getSubject().substring("for ".length()));
    }
    return subjects.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
  }
}
