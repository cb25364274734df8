package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailwarden.testing.Mails.raw;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.NewsAddress;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.GuardedTransport;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.testing.Mails;

/** Recipient domain rules, recipients per message, drop-recipient and sender domains. */
class RecipientRulesTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private Properties properties(String... keyValues) {
    return Mails.properties(greenMail.getSmtp().getPort(), keyValues);
  }

  private Session session(String... keyValues) {
    return Mails.session(properties(keyValues));
  }

  @Test
  void deniedDomainRefusesTheWholeMessageByDefault() throws Exception {
    Session session = session("mail.mailwarden.recipients.deny-domains", "competitor.example, *.blocked.example");

    assertThatThrownBy(() -> Transport.send(
        Mails.message(session, "ok@example.com", "boss@Competitor.example", "x@mail.blocked.example")))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.getReason()).isEqualTo(RefusalReason.RECIPIENTS_REJECTED);
          assertThat(e.getRejections()).extracting(r -> r.reason())
              .containsExactly(RecipientReason.DENIED_DOMAIN, RecipientReason.DENIED_DOMAIN);
          assertThat(e.getInvalidAddresses()).extracting(Address::toString)
              .containsExactly("boss@Competitor.example", "x@mail.blocked.example");
          assertThat(e.getValidUnsentAddresses()).extracting(Address::toString)
              .containsExactly("ok@example.com");
          assertThat(e.getValidSentAddresses()).isEmpty();
          assertThat(e.getMessage()).contains("denied-domain", "nothing was sent");
        });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void wildcardMatchesSubdomainsButNotTheDomainItself() throws Exception {
    Session session = session("mail.mailwarden.recipients.deny-domains", "*.blocked.example");

    Transport.send(Mails.message(session, "ok@blocked.example"));
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void allowListRefusesEveryOtherDomain() throws Exception {
    Session session = session("mail.mailwarden.recipients.allow-domains", "example.com,*.example.org");

    Transport.send(Mails.message(session, "a@example.com", "b@eu.example.org"));
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "c@example.net")))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> assertThat(
            e.reasonFor(raw("c@example.net"))).contains(RecipientReason.DOMAIN_NOT_ALLOWED));
    assertThat(greenMail.getReceivedMessages()).hasSize(2);
  }

  @Test
  void dropRecipientSendsToTheValidRestAndReportsTheOthers() throws Exception {
    Session session = session("mail.mailwarden.recipients.on-invalid", "drop-recipient",
        "mail.mailwarden.recipients.deny-domains", "competitor.example");
    MimeMessage message = Mails.message(session, "ok@example.com", "boss@competitor.example");
    Transport transport = session.getTransport();
    transport.connect();

    assertThatThrownBy(() -> transport.sendMessage(message, new Address[] {
        new InternetAddress("ok@example.com"), new InternetAddress("boss@competitor.example"),
        raw("bad address@example.com")}))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.isPartiallySent()).isTrue();
          assertThat(e.getValidSentAddresses()).extracting(Address::toString)
              .containsExactly("ok@example.com");
          assertThat(e.getRejections()).extracting(r -> r.reason())
              .containsExactly(RecipientReason.DENIED_DOMAIN, RecipientReason.SYNTAX);
        });
    SendReport report = ((GuardedTransport) transport).lastReport().orElseThrow();
    transport.close();

    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    assertThat(greenMail.getReceivedMessages()[0].getAllRecipients()).isNotNull();
    assertThat(report.accepted()).extracting(Address::toString).containsExactly("ok@example.com");
    assertThat(report.refused()).hasSize(2);
  }

  @Test
  void dropRecipientWithNoValidRecipientLeftSendsNothing() throws Exception {
    Session session = session("mail.mailwarden.recipients.on-invalid", "drop-recipient");

    assertThatThrownBy(() -> Transport.send(Mails.message(session, "jane@example.com"),
        new Address[] {raw("jane@localhost")}))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.isPartiallySent()).isFalse();
          assertThat(e.getRejections()).singleElement()
              .satisfies(r -> assertThat(r.reason()).isEqualTo(RecipientReason.SPECIAL_USE_DOMAIN));
        });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void moreRecipientsThanTheMessageLimitRefusesTheWholeMessage() throws Exception {
    Session session = session("mail.mailwarden.limit.recipients-per-message", "2");

    assertThatThrownBy(() -> Transport.send(
        Mails.message(session, "a@example.com", "b@example.com", "c@example.com")))
        .isInstanceOfSatisfying(SendRefusedException.class, e -> {
          assertThat(e.getReason()).isEqualTo(RefusalReason.TOO_MANY_RECIPIENTS);
          assertThat(e.getMessage()).contains("3 recipients", "limit.recipients-per-message=2");
          assertThat(e.getValidUnsentAddresses()).hasSize(3);
        });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void senderOutsideTheAllowedDomainsIsRefused() throws Exception {
    Session session = session("mail.mailwarden.senders.allow-domains", "shop.example");

    assertThatThrownBy(() -> Transport.send(Mails.message(session, "jane@example.com")))
        .isInstanceOfSatisfying(SendRefusedException.class, e -> {
          assertThat(e.getReason()).isEqualTo(RefusalReason.SENDER_NOT_ALLOWED);
          assertThat(e.getMessage()).contains("senders.allow-domains");
        });

    MimeMessage ok = Mails.message(session, "jane@example.com");
    ok.setFrom(new InternetAddress("orders@shop.example"));
    Transport.send(ok);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void envelopeSenderFromTheDelegatePropertiesIsCheckedToo() throws Exception {
    Session session = session("mail.mailwarden.senders.allow-domains", "shop.example",
        "mail.smtp.from", "bounces@elsewhere.example");
    MimeMessage m = Mails.message(session, "jane@example.com");
    m.setFrom(new InternetAddress("orders@shop.example"));

    assertThatThrownBy(() -> Transport.send(m)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> assertThat(e.getReason()).isEqualTo(RefusalReason.SENDER_NOT_ALLOWED));
  }

  @Test
  void aFromAddressOutsideTheAllowedDomainsIsRefusedThoughTheEnvelopeSenderIsAllowed() throws Exception {
    Session session = session("mail.mailwarden.senders.allow-domains", "shop.example",
        "mail.smtp.from", "bounces@shop.example");
    MimeMessage m = Mails.message(session, "jane@example.com");
    m.setFrom(new InternetAddress("orders@elsewhere.example"));

    assertThatThrownBy(() -> Transport.send(m)).isInstanceOfSatisfying(SendRefusedException.class, e -> {
      assertThat(e.getReason()).isEqualTo(RefusalReason.SENDER_NOT_ALLOWED);
      assertThat(e.getMessage()).contains("elsewhere.example");
    });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void nonInternetAddressIsRefusedWithItsOwnReason() throws Exception {
    Session session = Mails.session(properties());
    Transport transport = session.getTransport();
    transport.connect();
    try {
      assertThatThrownBy(() -> transport.sendMessage(Mails.message(session, "a@example.com"),
          new Address[] {new NewsAddress("comp.lang.java")}))
          .isInstanceOfSatisfying(RecipientRejectedException.class, e -> assertThat(e.getRejections())
              .singleElement().satisfies(r ->
                  assertThat(r.reason()).isEqualTo(RecipientReason.NOT_INTERNET_ADDRESS)));
    } finally {
      transport.close();
    }
  }

  @Test
  void messageTypeOfRecipientsDoesNotMatterAllAreChecked() throws Exception {
    Session session = session("mail.mailwarden.recipients.deny-domains", "competitor.example");
    MimeMessage m = Mails.message(session, "a@example.com");
    m.addRecipient(Message.RecipientType.BCC, new InternetAddress("spy@competitor.example"));

    assertThatThrownBy(() -> Transport.send(m)).isInstanceOf(RecipientRejectedException.class);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }
}
