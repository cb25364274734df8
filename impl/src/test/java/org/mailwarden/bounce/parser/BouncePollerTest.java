package org.mailwarden.bounce.parser;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.bounce.BouncedRecipient;

/** The poller reads bounces from GreenMail's IMAP server, hands over the records and keeps no body. */
class BouncePollerTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

  private static final String BODY_MARKER = "SECRET-BODY-LINE-THAT-MUST-NOT-BE-KEPT";
  private GreenMailUser user;

  @BeforeEach
  void mailbox() {
    user = greenMail.setUser("bounces@example.org", "bounces", "secret");
  }

  private void deliver(byte[] raw) throws Exception {
    user.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
  }

  private BouncePoller.Builder poller() {
    return BouncePoller.builder().host("127.0.0.1", greenMail.getImap().getPort())
        .credentials("bounces", "secret");
  }

  /** A RET=FULL style bounce: the whole original, body included, as message/rfc822. */
  private static byte[] fullBounce(String recipient) {
    String b = "b1";
    return ("From: MAILER-DAEMON@relay.example.com\r\nTo: sender@example.com\r\n"
        + "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=delivery-status; boundary=" + b + "\r\n\r\n"
        + "--" + b + "\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        + "--" + b + "\r\nContent-Type: message/delivery-status\r\n\r\n"
        + "Reporting-MTA: dns; relay.example.com\r\nOriginal-Envelope-Id: 0123abcd\r\n\r\n"
        + "Final-Recipient: rfc822; " + recipient + "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        + "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
        + "--" + b + "\r\nContent-Type: message/rfc822\r\n\r\n"
        + "From: sender@example.com\r\nTo: " + recipient + "\r\nSubject: Your order\r\n"
        + "Message-ID: <order-1@example.com>\r\n\r\n" + BODY_MARKER + "\r\n"
        + "--" + b + "--\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void recordsReachTheConsumerAndProcessedMessagesAreDeleted() throws Exception {
    deliver(fullBounce("gone@dest.example.org"));
    deliver(Files.readAllBytes(Corpus.root().resolve("maildir/bsd/lhost-qmail-01.eml")));
    deliver(Files.readAllBytes(Corpus.root().resolve("maildir/not/is-not-bounce-01.eml")));
    List<BouncedRecipient> got = new ArrayList<>();

    int processed = poller().onBounce(got::add).build().pollOnce();

    assertThat(processed).isEqualTo(3);
    assertThat(got).extracting(BouncedRecipient::recipient)
        .containsExactly("gone@dest.example.org", "kijitora@example.ne.jp");
    assertThat(got.get(0).envelopeId()).isEqualTo("0123abcd");
    assertThat(got.get(0).messageId()).isEqualTo("order-1@example.com");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void onlyTheHeadersOfAReturnedOriginalAreKeptByDefault() throws Exception {
    deliver(fullBounce("gone@dest.example.org"));
    List<String> kept = new ArrayList<>();
    List<BouncedRecipient> got = new ArrayList<>();

    poller().onBounce(got::add).onOriginal((records, excerpt) -> kept.add(excerpt)).build().pollOnce();

    assertThat(got).hasSize(1);
    assertThat(kept).singleElement().satisfies(excerpt -> {
      assertThat(excerpt).contains("Message-ID: <order-1@example.com>").contains("Subject: Your order");
      assertThat(excerpt).doesNotContain(BODY_MARKER);
    });
    assertThat(got.toString()).doesNotContain(BODY_MARKER);
  }

  @Test
  void keepOriginalBytesBoundsTheBodyKept() throws Exception {
    deliver(fullBounce("gone@dest.example.org"));
    List<String> kept = new ArrayList<>();

    poller().keepOriginalBytes(6).onBounce(r -> { }).onOriginal((records, excerpt) -> kept.add(excerpt))
        .build().pollOnce();

    assertThat(kept).singleElement().satisfies(excerpt -> {
      assertThat(excerpt).endsWith("\nSECRET").doesNotContain("SECRET-");
    });
  }

  @Test
  void markSeenLeavesMessagesAndSkipsThemNextTime() throws Exception {
    deliver(fullBounce("gone@dest.example.org"));
    List<BouncedRecipient> got = new ArrayList<>();
    BouncePoller p = poller().afterProcessing(BouncePoller.AfterProcessing.MARK_SEEN).onBounce(got::add).build();

    assertThat(p.pollOnce()).isEqualTo(1);
    assertThat(p.pollOnce()).isZero();
    assertThat(got).hasSize(1);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aFailingConsumerLeavesTheMessageForTheNextPoll() throws Exception {
    deliver(fullBounce("gone@dest.example.org"));
    int processed = poller().onBounce(r -> {
      throw new IllegalStateException("database down");
    }).build().pollOnce();

    assertThat(processed).isZero();
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }
}
