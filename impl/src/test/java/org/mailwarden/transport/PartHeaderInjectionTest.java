package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailwarden.testing.Refusals.assertRefusedAndNothingReceived;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.Running;
import org.mailwarden.testing.SmtpSink;

/**
 * Header injection below the top level: in the headers of a MIME body part (nested too) and in an
 * attachment's file name. What reaches the server never has an injected header line; after a refusal, a
 * marker message sent afterwards is the first the server received.
 */
class PartHeaderInjectionTest {
  private static final String INJECTED = "(?m)^(Bcc|X-Injected):";

  @RegisterExtension
  final Running<SmtpSink> sink = Running.perTest(SmtpSink::start);

  private Session session() {
    return Mails.session(Mails.properties(sink.get().port()));
  }

  private MimeMessage withParts(MimeBodyPart... parts) throws Exception {
    MimeMessage m = Mails.message(session(), "jane@example.com");
    MimeMultipart mp = new MimeMultipart("mixed");
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Your invoice is attached.");
    mp.addBodyPart(text);
    for (MimeBodyPart p : parts) {
      mp.addBodyPart(p);
    }
    m.setContent(mp);
    m.saveChanges();
    return m;
  }

  private void assertRefused(MimeMessage m) throws Exception {
    assertRefusedAndNothingReceived(sink.get(), () -> Transport.send(m), RefusalReason.HEADER_INJECTION);
  }

  private String receivedContent() {
    return sink.get().awaitMessages(1).get(0).content();
  }

  @Test
  void lineBreakInABodyPartHeaderIsHeaderInjection() throws Exception {
    MimeBodyPart part = new MimeBodyPart();
    part.setText("data");
    part.setHeader("Content-Description", "invoice\r\nX-Injected: yes");
    assertRefused(withParts(part));
  }

  @Test
  void lineBreakInANestedBodyPartHeaderIsHeaderInjection() throws Exception {
    MimeBodyPart inner = new MimeBodyPart();
    inner.setText("data");
    inner.setHeader("Content-ID", "<a@b>\nBcc: everyone@example.org");
    MimeMultipart nested = new MimeMultipart("alternative");
    nested.addBodyPart(inner);
    MimeBodyPart outer = new MimeBodyPart();
    outer.setContent(nested);
    assertRefused(withParts(outer));
  }

  @Test
  void lineBreakInAnAttachmentFileNameIsHeaderInjection() throws Exception {
    // setFileName puts the name into Content-Disposition and Content-Type parameters; Jakarta Mail
    // quotes it but keeps CR and LF (its encoders treat them as ASCII), so the policy refuses it
    for (String name : List.of("invoice.pdf\r\nBcc: everyone@example.org",
        "invoice.pdf\"\r\nX-Injected: yes", "invoice.pdf\nX-Injected: yes")) {
      MimeBodyPart attachment = new MimeBodyPart();
      attachment.setText("%PDF-1.4");
      attachment.setFileName(name);
      assertRefused(withParts(attachment));
    }
  }

  @Test
  void thePartsOfAMultipartTypeWrittenInAnyCaseAreChecked() throws Exception {
    // parsed from a stream and sent without saveChanges, the header stays as written; Jakarta Mail
    // reads the type whatever its case, and so must the check of the parts
    Session session = session();
    for (String type : List.of("MULTIPART/mixed", "Multipart/Mixed", "multipart/mixed")) {
      String raw = "From: shop@example.com\r\nTo: jane@example.com\r\nSubject: parts\r\n"
          + "MIME-Version: 1.0\r\nContent-Type: " + type + "; boundary=\"b\"\r\n\r\n"
          + "--b\r\nContent-Type: text/plain\r\nContent-Description: a\u0000b\r\n\r\ndata\r\n--b--\r\n";
      MimeMessage m = new MimeMessage(session,
          new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
      try (Transport t = session.getTransport()) {
        t.connect();
        assertThatThrownBy(() -> t.sendMessage(m, m.getAllRecipients())).as(type)
            .isInstanceOfSatisfying(SendRefusedException.class,
                e -> assertThat(e.getReason()).isEqualTo(RefusalReason.HEADER_INJECTION));
      }
    }
    assertThat(sink.get().messagesBeforeMarker()).isEmpty();
  }

  @Test
  void aSafeAttachmentFileNameIsSentAndItsPartHeadersArrive() throws Exception {
    MimeBodyPart attachment = new MimeBodyPart();
    attachment.setText("%PDF-1.4");
    attachment.setFileName("Rechnung März.pdf");
    Transport.send(withParts(attachment));
    String received = receivedContent();
    assertThat(received).contains("Content-Disposition: attachment").doesNotContainPattern(INJECTED);
  }
}
