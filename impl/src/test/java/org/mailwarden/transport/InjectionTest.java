package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mailwarden.testing.Mails.raw;
import static org.mailwarden.testing.Refusals.assertRefusedAndNothingReceived;

import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.Running;
import org.mailwarden.testing.SmtpSink;

/**
 * No CR, LF or other control character in a recipient, sender or header reaches the server: every
 * attempt to smuggle an SMTP command or a header is refused before the message is written. Each
 * refusal is followed by a marker message, and the server must have received nothing before it.
 */
class InjectionTest {
  @RegisterExtension
  final Running<SmtpSink> sink = Running.perTest(SmtpSink::start);

  private Session session;

  @BeforeEach
  void session() {
    session = Mails.session(Mails.properties(sink.get().port()));
  }

  private SendRefusedException assertRefused(MimeMessage message, RefusalReason... reasons) throws Exception {
    return assertRefusedAndNothingReceived(sink.get(), () -> Transport.send(message), reasons);
  }

  private String receivedContent() {
    return sink.get().awaitMessages(1).get(0).content();
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
    SendRefusedException e = assertRefusedAndNothingReceived(sink.get(),
        () -> Transport.send(message, new Address[] {raw(address)}), RefusalReason.RECIPIENTS_REJECTED);
    assertThat(((RecipientRejectedException) e).getRejections()).singleElement().satisfies(r ->
        assertThat(r.reason()).isIn(RecipientReason.CONTROL_CHARACTER, RecipientReason.SYNTAX));
    assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u0000");
  }

  @Test
  void controlCharacterInTheEnvelopeSenderIsRefused() throws Exception {
    Properties p = Mails.properties(sink.get().port());
    p.put("mail.smtp.from", "bounce@example.com>\r\nRCPT TO:<extra@example.org");
    assertRefused(Mails.message(Mails.session(p), "jane@example.com"), RefusalReason.SENDER_NOT_ALLOWED);
  }

  static Stream<Arguments> lineBreaksInHeaderValues() {
    return Stream.of(
        arguments("Subject", "Hello\r\nBcc: everyone@example.org", "line break in the subject"),
        // Header.getValue() skips white space, CR and LF after the colon; the line as written keeps them
        arguments("Subject", "\r\nBcc: everyone@example.org", "line break at the start of a value"),
        arguments("X-Order", "42\n\nInjected body", "bare line feed in a custom header"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("lineBreaksInHeaderValues")
  void lineBreakInAHeaderValueIsHeaderInjectionNamingTheHeader(String name, String value, String rule)
      throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader(name, value);
    assertThat(assertRefused(message, RefusalReason.HEADER_INJECTION).getMessage()).as(rule).contains(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Note: x", "X-Note:x", "Subject:", ":X-Note", "X-A:B:C", "X-Note: "})
  void colonAnywhereInAHeaderNameIsRefused(String name) throws Exception {
    // the line is name + ": " + value, so each hides its colon among the line's own
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader(name, "y");
    assertThat(assertRefused(message, RefusalReason.HEADER_INJECTION).getMessage())
        .contains("character U+003A");
  }

  @Test
  void colonsInHeaderValuesAreNotNames() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setSubject("Re: Fwd: order 42 at 10:30");
    message.setHeader("X-Note", "a:b: c");
    Transport.send(message);
    assertThat(receivedContent()).contains("Subject: Re: Fwd: order 42 at 10:30", "X-Note: a:b: c");
  }

  @Test
  void aBadNameIsReportedBeforeABadValueOnALaterLine() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader("X-Order", "42\r\nBcc: everyone@example.org");
    message.setHeader("X-Note: x", "y");
    assertThat(assertRefused(message, RefusalReason.HEADER_INJECTION).getMessage())
        .contains("X-Note: x").doesNotContain("X-Order");
  }

  @Test
  void lineBreakInADisplayNameNeverStartsAHeaderLine() throws Exception {
    // Jakarta Mail folds a CRLF inside a quoted display name, so it stays part of the name
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setFrom(new InternetAddress("sender@example.com", "Shop\r\nBcc: everyone@example.org"));
    Transport.send(message);
    assertThat(receivedContent()).doesNotContainPattern("(?m)^Bcc:");
  }

  @Test
  void lineBreakInARawFromHeaderIsHeaderInjection() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setHeader("From", "sender@example.com\r\nBcc: everyone@example.org");
    assertRefused(message, RefusalReason.HEADER_INJECTION, RefusalReason.SENDER_NOT_ALLOWED);
  }

  @Test
  void foldedLongSubjectIsNotInjection() throws Exception {
    MimeMessage message = Mails.message(session, "jane@example.com");
    message.setSubject("Ünïcödé ".repeat(20), "UTF-8"); // Jakarta Mail folds the encoded words
    assertThat(message.getHeader("Subject")[0]).contains("\r\n ");
    Transport.send(message);
    assertThat(receivedContent()).containsPattern("(?m)^Subject: =\\?UTF-8\\?");
  }
}
