package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailwarden.testing.Refusals.assertRefusedAndNothingReceived;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendReport;
import org.mailwarden.WouldBeRefusal;
import org.mailwarden.internal.Environment;
import org.mailwarden.testing.FakeTime;
import org.mailwarden.testing.LogCapture;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/**
 * {@code mode=report-only}: every policy decides as usual, the message is sent anyway (seen at
 * smtp-sink) and the report, the listener and the logs say what would have refused it and why; the
 * same sends in {@code mode=enforce} are refused. Injection and {@code dsn.*} are never relaxed.
 * Quotas run on a fake clock that never moves, so nothing refills.
 */
class ReportOnlyTest {
  private final FakeTime time = new FakeTime();
  private final Environment environment = Environment.create(time, time, nanos -> { });
  private final List<WouldBeRefusal> heard = new ArrayList<>();
  private final MailwardenListener listener = new MailwardenListener() {
    @Override
    public void wouldRefuse(SendReport report, WouldBeRefusal refusal) {
      assertThat(report.wouldRefuse()).contains(refusal);
      heard.add(refusal);
    }
  };
  private SmtpSink sink;

  @BeforeEach
  void start() throws Exception {
    sink = SmtpSink.start();
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
    environment.close();
  }

  private Session session(String mode, String... keyValues) {
    Properties p = Mails.properties(sink.port(), keyValues);
    p.put("mail.mailwarden.mode", mode);
    p.put("mail.mailwarden.listener", listener);
    p.put("mail.mailwarden.suppression.store", "memory");
    p.put(Environment.KEY, environment);
    return Mails.session(p);
  }

  @Test
  void reportOnlySendsToADeniedDomainAnInvalidAddressAndOverAQuotaAndReportsEachReason() throws Exception {
    Session session = session("report-only", "mail.mailwarden.recipients.deny-domains", "competitor.example",
        "mail.mailwarden.limit.messages-per-minute", "3");

    SendReport denied = Mailwarden.send(Mails.message(session, "jane@competitor.example"));
    SendReport syntax = Mailwarden.send(Mails.message(session, "someone@example.com"),
        Mails.raw("jane..doe@example.com"));
    SendReport third = Mailwarden.send(Mails.message(session, "joe@example.org"));
    SendReport overQuota = Mailwarden.send(Mails.message(session, "ann@example.org"));

    assertThat(sink.awaitMessages(4)).extracting(d -> d.rcptArgs().size()).containsOnly(1);
    assertThat(denied.accepted()).hasSize(1);
    assertThat(denied.wouldRefuse()).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo(RefusalReason.RECIPIENTS_REJECTED);
      assertThat(r.recipients()).singleElement()
          .satisfies(rr -> assertThat(rr.reason()).isEqualTo(RecipientReason.DENIED_DOMAIN));
    });
    assertThat(syntax.accepted()).hasSize(1);
    assertThat(syntax.wouldRefuse()).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo(RefusalReason.RECIPIENTS_REJECTED);
      assertThat(r.recipients()).singleElement()
          .satisfies(rr -> assertThat(rr.reason()).isEqualTo(RecipientReason.SYNTAX));
    });
    assertThat(third.wouldRefuse()).isEmpty();
    // the first three were counted as sent, so the fourth is over messages-per-minute=3
    assertThat(overQuota.accepted()).hasSize(1);
    assertThat(overQuota.wouldRefuse()).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo(RefusalReason.QUOTA_EXCEEDED);
      assertThat(r.quotaLimit()).contains("limit.messages-per-minute");
    });
    assertThat(heard).containsExactly(denied.wouldRefuse().get(0), syntax.wouldRefuse().get(0),
        overQuota.wouldRefuse().get(0));
  }

  @Test
  void reportOnlyQuotasCountWhatWasSentSoTheBucketGoesIntoDebt() throws Exception {
    Session session = session("report-only", "mail.mailwarden.limit.messages-per-minute", "2");

    for (int i = 0; i < 5; i++) {
      Mailwarden.send(Mails.message(session, "jane@example.com"));
    }

    sink.awaitMessages(5);
    assertThat(heard).hasSize(3).allSatisfy(r -> assertThat(r.reason()).isEqualTo(RefusalReason.QUOTA_EXCEEDED));
    try (Transport t = session.getTransport()) {
      assertThat(((org.mailwarden.GuardedTransport) t).quotaUsage())
          .filteredOn(u -> u.limit().equals("limit.messages-per-minute")).singleElement().satisfies(u -> assertThat(u.available()).isEqualTo(-3));
    }
  }

  @Test
  void enforceRefusesTheDeniedDomainTheInvalidAddressAndTheSendOverTheQuota() throws Exception {
    Session session = session("enforce", "mail.mailwarden.recipients.deny-domains", "competitor.example",
        "mail.mailwarden.limit.messages-per-minute", "1");

    assertThat(assertRefusedAndNothingReceived(sink,
        () -> Mailwarden.send(Mails.message(session, "jane@competitor.example")), RefusalReason.RECIPIENTS_REJECTED))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> assertThat(e.getRejections())
            .singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(RecipientReason.DENIED_DOMAIN)));
    MimeMessage invalid = Mails.message(session, "someone@example.com");
    assertRefusedAndNothingReceived(sink, () -> Mailwarden.send(invalid, Mails.raw("jane..doe@example.com")),
        RefusalReason.RECIPIENTS_REJECTED);
    Mailwarden.send(Mails.message(session, "joe@example.org"));
    assertThat(sink.messagesBeforeMarker()).hasSize(1);
    assertThat(assertRefusedAndNothingReceived(sink,
        () -> Mailwarden.send(Mails.message(session, "ann@example.org")), RefusalReason.QUOTA_EXCEEDED))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(heard).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"enforce", "report-only"})
  void aHeaderWithALineBreakIsRefusedInEveryMode(String mode) throws Exception {
    Session session = session(mode);
    MimeMessage m = Mails.message(session, "jane@example.com");
    m.setHeader("Subject", "Hello\r\nBcc: victim@example.org");

    assertRefusedAndNothingReceived(sink, () -> Mailwarden.send(m), RefusalReason.HEADER_INJECTION);
    assertThat(heard).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"enforce", "report-only"})
  void anAddressWithALineBreakIsRefusedInEveryMode(String mode) throws Exception {
    Session session = session(mode);
    MimeMessage m = Mails.message(session, "jane@example.com");

    assertRefusedAndNothingReceived(sink,
        () -> Mailwarden.send(m, Mails.raw("jane@example.com>\r\nRCPT TO:<victim@example.org")),
        RefusalReason.RECIPIENTS_REJECTED);
    SMTPMessage sender = new SMTPMessage(Mails.message(session, "jane@example.com"));
    sender.setEnvelopeFrom("me@example.com>\r\nRCPT TO:<victim@example.org");
    assertRefusedAndNothingReceived(sink, () -> Mailwarden.send(sender), RefusalReason.SENDER_NOT_ALLOWED);
    assertThat(heard).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"enforce", "report-only"})
  void dsnRetFullStaysRefusedInEveryMode(String mode) throws Exception {
    Session configured = session(mode, "mail.mailwarden.dsn.ret", "FULL");
    assertThatThrownBy(() -> Mailwarden.send(Mails.message(configured, "jane@example.com")))
        .isInstanceOf(MailwardenConfigurationException.class).hasMessageContaining("dsn.ret");

    Session session = session(mode);
    SMTPMessage asked = new SMTPMessage(Mails.message(session, "jane@example.com"));
    asked.setReturnOption(SMTPMessage.RETURN_FULL);
    Mailwarden.send(asked);
    assertThat(sink.awaitMessages(1).get(0).mailParameter("RET")).isEqualTo("HDRS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"enforce", "report-only"})
  void dsnRequireStaysRefusedInEveryMode(String mode) throws Exception {
    sink.restart("-N"); // no DSN
    Session session = session(mode, "mail.mailwarden.dsn.require", "true");

    assertRefusedAndNothingReceived(sink, () -> Mailwarden.send(Mails.message(session, "jane@example.com")),
        RefusalReason.DSN_NOT_SUPPORTED);
  }

  @Test
  void reportOnlyNamesTheModeInOneWarningAtStartUp() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      Session session = session("report-only");
      Mailwarden.send(Mails.message(session, "jane@example.com"));
      Mailwarden.send(Mails.message(session, "jane@example.com"));

      assertThat(logs.events()).filteredOn(e -> e.getFormattedMessage().contains("runs in mode=report-only"))
          .singleElement().satisfies(e -> assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN));
    }
  }
}
