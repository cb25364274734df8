package org.mailwarden.bounce.parser;

import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mailwarden.Mailwarden;
import org.mailwarden.SendReport;
import org.mailwarden.suppression.SuppressionList;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/**
 * A bounce tied to a remembered send (by its ENVID) suppresses only addresses that send had: messages
 * are sent through a real smtp-sink (which advertises DSN, so the ENVID goes on the wire), and the
 * bounces are built here as a reporting MTA would write them after forwarding or aliasing.
 */
class CorrelatedBounceSuppressionTest {

  private static String bounce(String envid, String recipientFields) {
    return BuiltBouncesTest.report("""
        Reporting-MTA: dns; mx.example.org
        Original-Envelope-Id: %s
        """.formatted(envid), recipientFields + """
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 User unknown (in reply to RCPT TO command)
        """, "see below");
  }

  private static void record(SuppressionList list, String message) {
    List<BouncedRecipient> records = BuiltBouncesTest.parse(message);
    assertThat(records).isNotEmpty();
    records.forEach(list::record);
  }

  private record Sent(SuppressionList list, String envid) {}

  private static Sent send(SmtpSink sink, String... to) throws Exception {
    Properties p = Mails.properties(sink.port());
    p.put("mail.mailwarden.suppression.store", "memory");
    Session session = Mails.session(p);
    SendReport report = Mailwarden.send(Mails.message(session, to));
    String envid = report.envelopeId().orElseThrow();
    assertThat(sink.messages().get(sink.messages().size() - 1).mailParameter("ENVID")).isEqualTo(envid);
    return new Sent(Mailwarden.suppressions(session), envid);
  }

  @Test
  void aBounceNamingOnlyTheForwardingTargetSuppressesTheSendsOnlyRecipient() throws Exception {
    try (SmtpSink sink = SmtpSink.start()) {
      Sent sent = send(sink, "info@shop-partner.example.com");

      record(sent.list(), bounce(sent.envid(), "Final-Recipient: rfc822; owner.private@mailhost.example.org\n"));

      assertThat(sent.list().find("info@shop-partner.example.com")).isPresent();
      assertThat(sent.list().find("owner.private@mailhost.example.org")).isEmpty();
    }
  }

  @Test
  void aBounceForAnAddressTheSendDidNotHaveSuppressesNobody() throws Exception {
    try (SmtpSink sink = SmtpSink.start()) {
      Sent sent = send(sink, "a@example.com", "b@example.com");

      record(sent.list(), bounce(sent.envid(), "Final-Recipient: rfc822; stranger@example.net\n"));

      assertThat(sent.list().list()).isEmpty();
    }
  }

  @Test
  void theOriginalRecipientOfAnAliasedBouncePicksTheSendsAddressAmongSeveral() throws Exception {
    try (SmtpSink sink = SmtpSink.start()) {
      Sent sent = send(sink, "a@example.com", "sales@example.com");

      record(sent.list(), bounce(sent.envid(), """
          Original-Recipient: rfc822;sales@example.com
          Final-Recipient: rfc822; jane.doe@crm.example.net
          """));

      assertThat(sent.list().list()).extracting(s -> s.address()).containsExactly("sales@example.com");
    }
  }

  @Test
  void aBounceNamingOneOfTheSendsRecipientsSuppressesThatOne() throws Exception {
    try (SmtpSink sink = SmtpSink.start()) {
      Sent sent = send(sink, "a@example.com", "B@Example.com");

      record(sent.list(), bounce(sent.envid(), "Final-Recipient: rfc822; b@example.com\n"));

      assertThat(sent.list().list()).extracting(s -> s.address()).containsExactly("b@example.com");
    }
  }

  @Test
  void aBounceThatNamesNoRememberedSendSuppressesTheAddressItNames() throws Exception {
    try (SmtpSink sink = SmtpSink.start()) {
      Sent sent = send(sink, "a@example.com");

      record(sent.list(), bounce("an-envid-we-never-sent", "Final-Recipient: rfc822; old@example.net\n"));

      assertThat(sent.list().find("old@example.net")).isPresent();
      assertThat(sent.list().find("a@example.com")).isEmpty();
    }
  }
}
