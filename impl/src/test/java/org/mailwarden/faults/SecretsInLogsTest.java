package org.mailwarden.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.testing.LogCapture;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/**
 * Everything Mailwarden logs, at every level down to TRACE, while it sends with SMTP AUTH, refuses a
 * message, fails to authenticate and has a recipient refused by the server with a reply that quotes
 * the address: no password, no AUTH string and no full recipient address. (Jakarta Mail's own
 * {@code session.setDebug(true)} protocol trace prints the AUTH exchange; turning it on is the
 * application's explicit choice and not Mailwarden's log.)
 */
class SecretsInLogsTest {
  private static final String USER = "orders-app";
  private static final String PASSWORD = "s3cret-Pa55word";

  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static Properties authenticated(int port, String password) {
    Properties p = Mails.properties(port);
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.user", USER);
    p.put("mail.smtp.auth.mechanisms", "PLAIN"); // the AUTH string is then base64("\0user\0password")
    p.put("mail.mailwarden.limit.recipients-per-second", "0");
    p.put("mail.mailwarden.recipients.deny-domains", "competitor.example");
    p.put("mail.mailwarden.suppression.store", "memory");
    return p;
  }

  @Test
  void logsOfAnAuthenticatedSendARefusalAndFailuresHoldNoPasswordNoAuthStringAndNoFullAddress() throws Exception {
    greenMail.setUser("orders@example.com", USER, PASSWORD);
    int port = greenMail.getSmtp().getPort();
    try (LogCapture logs = new LogCapture();
        SmtpSink refusing = SmtpSink.start("-f", "rcpt", "-B",
            "550 5.1.1 <gone.customer@example.com>: Recipient address rejected: User unknown")) {
      Session session = Mails.session(authenticated(port, PASSWORD));
      // a full send with SMTP AUTH
      Transport.send(Mails.message(session, "jane.doe@example.com"), USER, PASSWORD);
      assertThat(greenMail.getReceivedMessages()).hasSize(1);
      // a refusal by Mailwarden
      assertThatThrownBy(() -> Transport.send(Mails.message(session, "boss.man@competitor.example"), USER,
          PASSWORD)).isInstanceOf(RecipientRejectedException.class);
      // a failure: wrong password
      Session wrong = Mails.session(authenticated(port, "wrong-" + PASSWORD));
      assertThatThrownBy(() -> Transport.send(Mails.message(wrong, "joe.bloggs@example.com"), USER,
          "wrong-" + PASSWORD)).isInstanceOf(AuthenticationFailedException.class);
      // a failure: the server refuses the recipient, quoting it; the suppression list learns it
      Properties p = authenticated(refusing.port(), PASSWORD);
      p.remove("mail.smtp.auth");
      assertThatThrownBy(() -> Transport.send(Mails.message(Mails.session(p), "gone.customer@example.com")))
          .isInstanceOf(SendFailedException.class);

      String all = logs.all();
      assertThat(logs.events()).extracting(e -> e.getLevel().toString()).contains("INFO");
      assertThat(all).doesNotContain(PASSWORD, base64("\0" + USER + "\0" + PASSWORD), base64(PASSWORD),
          base64("\0" + USER + "\0wrong-" + PASSWORD));
      assertThat(all).doesNotContain("jane.doe@", "boss.man@", "joe.bloggs@", "gone.customer@");
    }
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
