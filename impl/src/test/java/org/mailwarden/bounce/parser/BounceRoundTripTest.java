package org.mailwarden.bounce.parser;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mailwarden.Mailwarden;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/**
 * A message sent through Mailwarden to smtp-sink, and the RFC 3464 bounce a real MTA would return for
 * it (built from what smtp-sink received: the ENVID on MAIL FROM and the message's header), is tied
 * back to the send by the parser.
 */
class BounceRoundTripTest {

  @Test
  void aBounceOfAMessageSentThroughMailwardenGivesBackItsEnvidAndMessageId() throws Exception {
    try (SmtpSink sink = SmtpSink.start()) {
      Properties p = Mails.properties(sink.port());
      MimeMessage message = Mails.message(Mails.session(p), "nobody-here@dest.example.org");
      SendReport report = Mailwarden.send(message);
      String envid = report.envelopeId().orElseThrow();
      String messageId = report.messageId().orElseThrow();

      SmtpSink.Dumped received = sink.messages().get(0);
      assertThat(received.mailArgs()).contains("ENVID=" + envid).contains("RET=HDRS");
      String headers = received.content().split("\r?\n\r?\n", 2)[0];

      byte[] bounce = rfc3464Bounce(envid, "nobody-here@dest.example.org", headers);
      List<BouncedRecipient> parsed = BounceParser.parse(new ByteArrayInputStream(bounce));

      assertThat(parsed).singleElement().satisfies(r -> {
        assertThat(r.recipient()).isEqualTo("nobody-here@dest.example.org");
        assertThat(r.envelopeId()).isEqualTo(envid);
        assertThat("<" + r.messageId() + ">").isEqualTo(messageId);
        assertThat(r.status()).isEqualTo("5.1.1");
        assertThat(r.replyCode()).isEqualTo(550);
        assertThat(r.reason()).isEqualTo(BounceReason.USERUNKNOWN);
        assertThat(r.hard()).isTrue();
      });
    }
  }

  /** The bounce Postfix writes for a RET=HDRS message refused with 550 5.1.1 by the next hop. */
  static byte[] rfc3464Bounce(String envid, String recipient, String originalHeaders) {
    String b = "bnd-" + Long.toHexString(System.nanoTime());
    String text = "Return-Path: <>\r\n"
        + "From: MAILER-DAEMON@relay.example.com (Mail Delivery System)\r\n"
        + "To: sender@example.com\r\n"
        + "Subject: Undelivered Mail Returned to Sender\r\n"
        + "Auto-Submitted: auto-replied\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"" + b + "\"\r\n"
        + "\r\n"
        + "--" + b + "\r\n"
        + "Content-Description: Notification\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        + "This is the mail system at host relay.example.com.\r\n\r\n"
        + "<" + recipient + ">: host mx.dest.example.org[192.0.2.1] said: 550 5.1.1\r\n"
        + "    <" + recipient + ">: Recipient address rejected: User unknown (in reply to RCPT TO command)\r\n\r\n"
        + "--" + b + "\r\n"
        + "Content-Description: Delivery report\r\n"
        + "Content-Type: message/delivery-status\r\n\r\n"
        + "Reporting-MTA: dns; relay.example.com\r\n"
        + "Original-Envelope-Id: " + envid + "\r\n"
        + "Arrival-Date: Mon,  1 Jun 2026 10:00:00 +0000 (UTC)\r\n\r\n"
        + "Final-Recipient: rfc822; " + recipient + "\r\n"
        + "Original-Recipient: rfc822;" + recipient + "\r\n"
        + "Action: failed\r\n"
        + "Status: 5.1.1\r\n"
        + "Remote-MTA: dns; mx.dest.example.org\r\n"
        + "Diagnostic-Code: smtp; 550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown\r\n\r\n"
        + "--" + b + "\r\n"
        + "Content-Description: Undelivered Message Headers\r\n"
        + "Content-Type: text/rfc822-headers\r\n\r\n"
        + originalHeaders.replaceAll("\r?\n", "\r\n") + "\r\n\r\n"
        + "--" + b + "--\r\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
