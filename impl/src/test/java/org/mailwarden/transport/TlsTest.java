package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/**
 * TLS: the delegate checks the server's identity unless the application says otherwise, and a
 * documented key makes STARTTLS required. GreenMail serves SMTPS with a self-signed certificate whose
 * name is not a host name.
 */
class TlsTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTPS.dynamicPort());

  private Properties smtps() {
    Properties p = Mails.properties(greenMail.getSmtps().getPort());
    p.remove("mail.smtp.host");
    p.remove("mail.smtp.port");
    p.put("mail.mailwarden.delegate", "smtps");
    p.put("mail.smtps.host", "127.0.0.1");
    p.put("mail.smtps.port", Integer.toString(greenMail.getSmtps().getPort()));
    return p;
  }

  @Test
  void untrustedCertificateFailsTheSendByDefault() throws Exception {
    assertThatThrownBy(() -> Transport.send(Mails.message(Mails.session(smtps()), "a@example.com")))
        .isInstanceOf(MessagingException.class);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void trustedCertificateWhoseNameDoesNotMatchTheServerStillFails() throws Exception {
    Properties p = smtps();
    p.put("mail.smtps.ssl.trust", "*"); // trust the certificate, but its name is not 127.0.0.1
    assertThatThrownBy(() -> Transport.send(Mails.message(Mails.session(p), "a@example.com")))
        .isInstanceOf(MessagingException.class)
        .hasStackTraceContaining("127.0.0.1");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void identityCheckTurnedOffExplicitlyByTheApplicationIsHonoured() throws Exception {
    Properties p = smtps();
    p.put("mail.smtps.ssl.trust", "*");
    p.put("mail.smtps.ssl.checkserveridentity", "false");
    Transport.send(Mails.message(Mails.session(p), "a@example.com"));
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void starttlsRequiredRefusesAServerWithoutStarttls() throws Exception {
    try (SmtpSink sink = SmtpSink.start()) { // smtp-sink does not offer STARTTLS
      Properties p = Mails.properties(sink.port());
      p.put("mail.mailwarden.starttls.required", "true");
      assertThatThrownBy(() -> Transport.send(Mails.message(Mails.session(p), "a@example.com")))
          .isInstanceOf(MessagingException.class).hasMessageContaining("STARTTLS");
      assertThat(sink.messagesBeforeMarker()).isEmpty();
    }
  }
}
