package org.mailwarden.bounce.parser;

import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailwarden.bounce.parser.BuiltBouncesTest.only;
import static org.mailwarden.bounce.parser.BuiltBouncesTest.report;

import org.junit.jupiter.api.Test;

/**
 * The reasons that depend on which system answered (a provider's documented meaning of its own codes
 * and words) and the vendor texts of issue 14's second pass, on reports written here. Host names are
 * the providers' real domains, addresses are made up.
 */
class ProviderReasonsTest {

  private static final String REPORTING = "Reporting-MTA: dns; relay.example.net";

  private static BouncedRecipient failed(String remoteMta, String status, String diagnostic) {
    return only(report(REPORTING, """
        Final-Recipient: rfc822; someone@%s
        Action: failed
        Status: %s
        Remote-MTA: dns; %s
        Diagnostic-Code: smtp; %s
        """.formatted(remoteMta.substring(remoteMta.indexOf('.') + 1), status, remoteMta, diagnostic),
        "someone@example.org"));
  }

  @Test
  void orangeErrorCode506IsSpamWhateverTheWordsAround() {
    BouncedRecipient b = failed("smtp-in.orange.fr", "5.2.0", "550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]");

    assertThat(b.reason()).isEqualTo(BounceReason.SPAMDETECTED);
    assertThat(b.hard()).isFalse();
  }

  @Test
  void orangeErrorCode505IsATemporaryFaultOfTheirSystemWhileOfr999IsABlock() {
    assertThat(failed("smtp-in.orange.fr", "4.2.0",
        "421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]")
        .reason()).isEqualTo(BounceReason.SYSTEMERROR);
    assertThat(failed("smtp-in.orange.fr", "4.0.0",
        "421 mwinf0000 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]")
        .reason()).isEqualTo(BounceReason.BLOCKED);
  }

  @Test
  void kddiAuNamesTheAddressWhenTheMailboxDoesNotExist() {
    BouncedRecipient b = failed("lsean.ezweb.ne.jp", "5.0.0", "550 <someone@ezweb.ne.jp>: User unknown");

    assertThat(b.reason()).isEqualTo(BounceReason.USERUNKNOWN);
    assertThat(b.hard()).isTrue();
  }

  @Test
  void kddiAuLeavesTheAddressOutWhenTheRecipientsFilterRefused() {
    BouncedRecipient b = failed("lsean.ezweb.ne.jp", "5.0.0", "550 : User unknown");

    assertThat(b.reason()).isEqualTo(BounceReason.FILTERED);
    assertThat(b.hard()).isFalse();
  }

  @Test
  void theSameNamedUserUnknownFromAnotherHostAtAnUnknownStepIsNotTrustedAsAHardBounce() {
    BouncedRecipient b = failed("mx.example.org", "5.0.0", "550 <someone@example.org>: User unknown");

    assertThat(b.hard()).isFalse();
  }

  @Test
  void nttDocomoUnknownUserAtTheEndOfDataIsTheRecipientRefusingTheSender() {
    BouncedRecipient b = only("""
        From: MAILER-DAEMON@relay.example.net (Mail Delivery System)
        To: app@shop.example.com
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain

        <someone@docomo.ne.jp>: host mfsmax.docomo.ne.jp[192.0.2.40] said: 550 Unknown
            user someone@docomo.ne.jp (in reply to end of DATA command)

        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; relay.example.net

        Final-Recipient: rfc822; someone@docomo.ne.jp
        Action: failed
        Status: 5.0.0
        Remote-MTA: dns; mfsmax.docomo.ne.jp
        Diagnostic-Code: smtp; 550 Unknown user someone@docomo.ne.jp

        --b1--
        """);

    assertThat(b.reason()).isEqualTo(BounceReason.REJECTED);
    assertThat(b.hard()).isFalse();
  }

  @Test
  void outlookComMailboxUnavailableIsAnAddressThatDoesNotExist() {
    BouncedRecipient b = failed("mx1.hotmail.com", "5.5.0",
        "550 Requested action not taken: mailbox unavailable (S2017062302)");

    assertThat(b.reason()).isEqualTo(BounceReason.USERUNKNOWN);
    assertThat(b.hard()).isTrue();
  }

  @Test
  void mailboxUnavailableFromAnUnknownHostIsNotAHardBounce() {
    BouncedRecipient b = failed("mx.example.org", "5.5.0", "550 Requested action not taken: mailbox unavailable");

    assertThat(b.hard()).isFalse();
  }

  @Test
  void gmailSendMailAsMisconfigurationRefusesTheSender() {
    BouncedRecipient b = only("""
        From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
        To: app@shop.example.com
        Subject: Delivery Status Notification (Failure)

        ** Message not delivered **

        You're sending this from a different address or alias using the 'Send mail as' feature.
        The settings for your 'Send mail as' account are misconfigured or out of date.
        Learn more here: https://support.google.com/mail/?p=CustomFromDenied

        The response was: Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise AUTH capability

        Final-Recipient: rfc822; team@groups.example.org
        Action: failed
        Status: 5.0.0
        """);

    assertThat(b.reason()).isEqualTo(BounceReason.REJECTED);
  }

  @Test
  void postfixDeliveryReportUnavailableIsUndefinedAndSuppressesNobody() {
    BouncedRecipient b = only("""
        From: MAILER-DAEMON@relay.example.net (Mail Delivery System)
        To: app@shop.example.com
        Subject: Undelivered Mail Returned to Sender

        This is the mail system at host relay.example.net.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients.

                           The mail system

        <someone@example.org>: --- Delivery report unavailable ---
        """);

    assertThat(b.recipient()).isEqualTo("someone@example.org");
    assertThat(b.reason()).isEqualTo(BounceReason.UNDEFINED);
    assertThat(b.hard()).isFalse();
  }

  @Test
  void aMailClientsUnsubscribeRequestIsAnOptOutOfItsSender() {
    BouncedRecipient b = only("""
        From: reader@icloud.example.com
        To: unsubscribe-4711@lists.shop.example.com
        Subject: unsubscribe
        Auto-Submitted: auto-replied
        X-Apple-Unsubscribe: true

        Apple Mail sent this email to unsubscribe from the message "Our autumn offers".
        """);

    assertThat(b.recipient()).isEqualTo("reader@icloud.example.com");
    assertThat(b.reason()).isEqualTo(BounceReason.FEEDBACK);
    assertThat(b.feedbackType()).isEqualTo("opt-out");
  }

  @Test
  void aDelayedReportOfAnUnknownUserIsTemporary() {
    BouncedRecipient b = only(report(REPORTING, """
        Final-Recipient: rfc822; someone@example.org
        Action: delayed
        Status: 4.1.1
        Diagnostic-Code: smtp; 450 4.1.1 <someone@example.org>: Recipient address rejected: User unknown
        """, "someone@example.org"));

    assertThat(b.action()).isEqualTo("delayed");
    assertThat(b.hard()).isFalse();
  }
}
