package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.GuardedTransport;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.QuotaUsage;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/** The read-only inspection API: quota usage, effective policies, the connection event. */
class InspectionApiTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static GuardedTransport guarded(Session session) throws Exception {
    return (GuardedTransport) session.getTransport("mailwarden");
  }

  @Test
  void quotaUsageCountsSentMessagesAndIsFullBeforeTheFirstSend() throws Exception {
    Session session = Mails.session(Mails.properties(greenMail.getSmtp().getPort(),
        "mail.mailwarden.limit.messages-per-minute", "3",
        "mail.mailwarden.limit.domain.example.com.recipients-per-hour", "10"));

    assertThat(guarded(session).quotaUsage()).extracting(QuotaUsage::limit, QuotaUsage::available)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("limit.messages-per-minute", 3L),
            org.assertj.core.groups.Tuple.tuple("limit.recipients-per-second", 14L),
            org.assertj.core.groups.Tuple.tuple("limit.recipients-per-day", 50_000L),
            org.assertj.core.groups.Tuple.tuple("limit.domain.example.com.recipients-per-hour", 10L));

    for (int i = 0; i < 4; i++) {
      try {
        Transport.send(Mails.message(session, "jane@example.com", "joe@example.org"));
      } catch (QuotaExceededException expected) {
        // the fourth
      }
    }

    List<QuotaUsage> usage = guarded(session).quotaUsage();
    assertThat(usage.get(0)).isEqualTo(new QuotaUsage("limit.messages-per-minute", 3, 0, Duration.ofMinutes(1)));
    assertThat(usage.get(0).used()).isEqualTo(3);
    assertThat(usage.get(0).isExhausted()).isTrue();
    assertThat(usage.get(2).used()).isEqualTo(6);
    assertThat(usage.get(3).used()).isEqualTo(3);
    assertThat(usage.get(3).isExhausted()).isFalse();
  }

  @Test
  void readingQuotaUsageNeverUsesQuota() throws Exception {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.limit.messages-per-minute", "1");
    Session session = Mails.session(p);
    for (int i = 0; i < 5; i++) {
      guarded(session).quotaUsage();
    }

    Transport.send(Mails.message(session, "jane@example.com"));

    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void effectivePoliciesListDefaultsAndConfiguredLimitsButNotLimitsThatAreOff() throws Exception {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.limit.messages-per-hour", "100");
    p.put("mail.mailwarden.recipients.deny-domains", "spam.example, *.bad.example");

    var policies = guarded(Mails.session(p)).effectivePolicies();

    assertThat(policies).containsEntry("dsn.notify", "FAILURE").containsEntry("dsn.ret", "HDRS")
        .containsEntry("limit.messages-per-hour", "100")
        .containsEntry("limit.recipients-per-second", "14")
        .containsEntry("recipients.deny-domains", "spam.example,*.bad.example")
        .containsEntry("recipients.on-invalid", "reject-message")
        .doesNotContainKey("limit.messages-per-minute");
    assertThat(policies.get("app")).startsWith("test-");
  }

  @Test
  void dnsCountersAreEmptyWithoutCheckMxAndStartAtZeroWithIt() throws Exception {
    Properties off = Mails.properties(greenMail.getSmtp().getPort());
    assertThat(guarded(Mails.session(off)).dnsCounters()).isEmpty();

    Properties on = Mails.properties(greenMail.getSmtp().getPort());
    on.put("mail.mailwarden.recipients.check-mx", "true");
    on.put("mail.mailwarden.dns.servers", "127.0.0.1:53");
    assertThat(guarded(Mails.session(on)).dnsCounters()).hasValueSatisfying(counters ->
        assertThat(counters).containsExactly(Map.entry("lookups", 0L), Map.entry("cache-hits", 0L),
            Map.entry("failures", 0L)));
  }

  @Test
  void inspectingAMisconfiguredSessionNamesTheKey() throws Exception {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.limit.messages-per-hour", "-1");

    assertThatThrownBy(() -> guarded(Mails.session(p)).quotaUsage())
        .isInstanceOfSatisfying(MailwardenConfigurationException.class, e -> {
          assertThat(e.getKey()).isEqualTo("mail.mailwarden.limit.messages-per-hour");
          assertThat(e.getValue()).isEqualTo("-1");
          assertThat(e.getProblem()).startsWith("expected a whole number from 0 (off)");
        });
  }

  @Test
  void listenersHearWhetherTheServerTheyConnectedToAdvertisesDsn() throws Exception {
    List<String> seen = new ArrayList<>();
    MailwardenListener listener = new MailwardenListener() {
      @Override
      public void connected(String app, String server, boolean dsnSupported) {
        seen.add(server + " dsn=" + dsnSupported);
      }
    };
    try (SmtpSink sink = SmtpSink.start()) {
      Properties p = Mails.properties(sink.port());
      p.put("mail.mailwarden.listener", listener);
      Transport.send(Mails.message(Mails.session(p), "jane@example.com"));
      assertThat(seen).containsExactly("127.0.0.1:" + sink.port() + " dsn=true");
    }
    seen.clear();
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.listener", listener);
    Transport.send(Mails.message(Mails.session(p), "jane@example.com"));
    assertThat(seen).containsExactly("127.0.0.1:" + greenMail.getSmtp().getPort() + " dsn=false");
  }
}
