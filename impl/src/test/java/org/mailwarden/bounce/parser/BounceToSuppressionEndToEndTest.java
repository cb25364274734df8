package org.mailwarden.bounce.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.Mailwarden;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.suppression.SuppressionList;
import org.mailwarden.testing.Mails;

/**
 * The whole loop: a real bounce (from the Sisimai sample set) arrives in a bounce mailbox, the
 * poller reads it over IMAP and feeds the application's suppression list, and the next send to
 * that recipient is refused with reason {@code suppressed}; the other recipient of the bounce too.
 */
class BounceToSuppressionEndToEndTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(
      new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()});

  @Test
  void aPolledHardBounceSuppressesItsRecipientsForTheNextSend() throws Exception {
    GreenMailUser bounces = greenMail.setUser("bounces@example.org", "bounces", "secret");
    try (InputStream raw = getClass().getResourceAsStream("/bounces/maildir/bsd/lhost-exim-02.eml")) {
      bounces.deliver(new MimeMessage(Session.getInstance(new Properties()), raw));
    }
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.store", "memory");
    Session session = Mails.session(p);
    SuppressionList suppressions = Mailwarden.suppressions(session);

    try (BouncePoller poller = BouncePoller.builder().host("127.0.0.1", greenMail.getImap().getPort())
        .credentials("bounces", "secret").onBounce(suppressions::record).build()) {
      assertThat(poller.pollOnce()).isEqualTo(1);
    }

    assertThat(suppressions.find("kijitora@example.jp")).isPresent();
    assertThat(suppressions.find("sabatora@example.jp")).isPresent();
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "kijitora@example.jp")))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> assertThat(e.getRejections())
            .singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(RecipientReason.SUPPRESSED)));
    Transport.send(Mails.message(session, "someone.else@example.jp"));
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }
}
