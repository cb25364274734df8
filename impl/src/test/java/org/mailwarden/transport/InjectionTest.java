package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/**
 * No CR, LF or other control character in a recipient, sender or header reaches the server: every
 * attempt to smuggle an SMTP command or a header is refused before the message is written.
 */
class InjectionTest {
  private SmtpSink sink;
  private Session session;

  @BeforeEach
  void start() throws Exception {
    sink = SmtpSink.start();
    session = Mails.session(Mails.properties(sink.port()));
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
  }

  private void assertNothingReceived() throws Exception {
    Thread.sleep(150); // time for a (wrongly) sent message to reach the dump
    assertThat(sink.messages()).isEmpty();
  }

  private static InternetAddress raw(String address) {
    InternetAddress a = new InternetAddress();
    a.setAddress(address);
    return a;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "victim@example.com>\r\nRCPT TO:<extra@example.org",
      "victim@example.com\r\nDATA\r\nSubject: spam\r\n\r\nbuy now\r\n.\r\nQUIT",
      "victim@example.com\nRCPT TO:<extra@example.org>",
      "victim@example.com\rRCPT TO:<extra@example.org>",
      "vic\u0000tim@example.com",
      "victim@exam\u0085ple.com",
      "victim@example.com\u2028RCPT TO:<x@example.org>"})
  void controlCharacterInARecipientIsRefusedBeforeAnythingIsSent(String address) throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    assertThatThrownBy(() -> Transport.send(message, new Address[] {raw(address)}))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.getRejections()).singleElement().satisfies(r ->
              assertThat(r.reason()).isIn(RecipientReason.CONTROL_CHARACTER, RecipientReason.SYNTAX));
          assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u0000");
        });
    assertNothingReceived();
  }

  @Test
  void controlCharacterInTheEnvelopeSenderIsRefused() throws Exception {
    Properties p = Mails.properties(sink.port());
    p.put("mail.smtp.from", "bounce@example.com>\r\nRCPT TO:<extra@example.org");
    Session s = Mails.session(p);
    assertThatThrownBy(() -> Transport.send(Mails.message(s, "jane@example.com")))
        .isInstanceOfSatisfying(SendRefusedException.class,
            e -> assertThat(e.getReason()).isEqualTo(RefusalReason.SENDER_NOT_ALLOWED));
    assertNothingReceived();
  }

  @Test
  void lineBreakInTheSubjectIsHeaderInjection() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader("Subject", "Hello\r\nBcc: everyone@example.org");
    assertThatThrownBy(() -> Transport.send(message)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> {
          assertThat(e.getReason()).isEqualTo(RefusalReason.HEADER_INJECTION);
          assertThat(e.getMessage()).contains("Subject");
        });
    assertNothingReceived();
  }

  @Test
  void lineBreakAtTheStartOfAValueIsHeaderInjection() throws Exception {
    // Header.getValue() skips white space, CR and LF after the colon; the line as written keeps them
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader("Subject", "\r\nBcc: everyone@example.org");
    assertThatThrownBy(() -> Transport.send(message)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> {
          assertThat(e.getReason()).isEqualTo(RefusalReason.HEADER_INJECTION);
          assertThat(e.getMessage()).contains("Subject");
        });
    assertNothingReceived();
  }

  @Test
  void colonInAHeaderNameIsRefused() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader("X-Note: x", "y");
    assertThatThrownBy(() -> Transport.send(message)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> assertThat(e.getReason()).isEqualTo(RefusalReason.HEADER_INJECTION));
    assertNothingReceived();
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Note:x", "Subject:", ":X-Note", "X-A:B:C", "X-Note: "})
  void colonAnywhereInAHeaderNameIsRefused(String name) throws Exception {
    // the line is name + ": " + value, so each hides its colon among the line's own
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader(name, "y");
    assertThatThrownBy(() -> Transport.send(message)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> {
          assertThat(e.getReason()).isEqualTo(RefusalReason.HEADER_INJECTION);
          assertThat(e.getMessage()).contains("character U+003A");
        });
    assertNothingReceived();
  }

  @Test
  void colonsInHeaderValuesAreNotNames() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setSubject("Re: Fwd: order 42 at 10:30");
    message.setHeader("X-Note", "a:b: c");
    Transport.send(message);
    String received = org.awaitility.Awaitility.await().until(sink::messages, m -> m.size() == 1)
        .get(0).content();
    assertThat(received).contains("Subject: Re: Fwd: order 42 at 10:30", "X-Note: a:b: c");
  }

  @Test
  void aBadNameIsReportedBeforeABadValueOnALaterLine() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader("X-Order", "42\r\nBcc: everyone@example.org");
    message.setHeader("X-Note: x", "y");
    assertThatThrownBy(() -> Transport.send(message)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> assertThat(e.getMessage()).contains("X-Note: x").doesNotContain("X-Order"));
    assertNothingReceived();
  }

  @Test
  void bareLineFeedInACustomHeaderIsHeaderInjection() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader("X-Order", "42\n\nInjected body");
    assertThatThrownBy(() -> Transport.send(message)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> assertThat(e.getReason()).isEqualTo(RefusalReason.HEADER_INJECTION));
    assertNothingReceived();
  }

  @Test
  void lineBreakInADisplayNameNeverStartsAHeaderLine() throws Exception {
    // Jakarta Mail folds a CRLF inside a quoted display name, so it stays part of the name
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setFrom(new InternetAddress("sender@example.com", "Shop\r\nBcc: everyone@example.org"));
    Transport.send(message);
    String received = org.awaitility.Awaitility.await().until(sink::messages, m -> m.size() == 1)
        .get(0).content();
    assertThat(received).doesNotContainPattern("(?m)^Bcc:");
  }

  @Test
  void lineBreakInARawFromHeaderIsHeaderInjection() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader("From", "sender@example.com\r\nBcc: everyone@example.org");
    assertThatThrownBy(() -> Transport.send(message)).isInstanceOfSatisfying(SendRefusedException.class,
        e -> assertThat(e.getReason()).isIn(RefusalReason.HEADER_INJECTION, RefusalReason.SENDER_NOT_ALLOWED));
    assertNothingReceived();
  }

  @Test
  void foldedLongSubjectIsNotInjection() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setSubject("Ünïcödé ".repeat(20), "UTF-8"); // Jakarta Mail folds the encoded words
    assertThat(message.getHeader("Subject")[0]).contains("\r\n ");
    Transport.send(message);
    assertThat(sink.messages()).isNotNull();
  }
}
