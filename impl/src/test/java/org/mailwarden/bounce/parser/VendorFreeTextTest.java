package org.mailwarden.bounce.parser;

import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailwarden.bounce.parser.BuiltBouncesTest.only;
import static org.mailwarden.bounce.parser.BuiltBouncesTest.parse;

import org.junit.jupiter.api.Test;

/**
 * Free-text bounces in the layouts vendors document (Exchange 2003/2007 and Exchange Online NDRs, an
 * ISP's own notice, AOL's screen-name notice, qmail), written here with made-up names: each yields the
 * recipient the text names, and never the sender it mentions.
 */
class VendorFreeTextTest {

  @Test
  void anExchangeNdrThatNamesTheRecipientByDisplayNameYieldsTheAddressOfItsSmtpLine() {
    BouncedRecipient b = only("""
        From: System Administrator <postmaster@example.org>
        To: app@shop.example.com
        Subject: Undeliverable: Your order

        Your message did not reach some or all of the intended recipients.

              Subject:\tYour order
              Sent:\t3/4/2010 10:00 AM

        The following recipient(s) could not be reached:

              'John Doe' on 3/4/2010 10:01 AM
                    The e-mail address you entered couldn't be found.
                    <mx.example.org #5.1.1 smtp;550 5.1.1 <jdoe@example.org>... User unknown>
        """);

    assertThat(b.recipient()).isEqualTo("jdoe@example.org");
    assertThat(b.reason()).isEqualTo(BounceReason.USERUNKNOWN);
    assertThat(b.hard()).isTrue();
  }

  @Test
  void anExchangeOnlineNdrWithoutAReportYieldsItsRecipientAndTheDirectoryVerdict() {
    BouncedRecipient b = only("""
        From: postmaster@outlook.example.com
        To: app@shop.example.com
        Subject: Undeliverable: Your order

        Delivery has failed to these recipients or groups:

        jane@contoso.example.com (jane@contoso.example.com)
        The email address you entered couldn't be found. Please check the recipient's email address and
        try to resend the message.

        Diagnostic information for administrators:

        Generating server: BN3PR01MB0001.example.com

        jane@contoso.example.com
        Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'
        """);

    assertThat(b.recipient()).isEqualTo("jane@contoso.example.com");
    assertThat(b.reason()).isEqualTo(BounceReason.USERUNKNOWN);
  }

  @Test
  void anIspNoticeThatWritesTheReasonAboveTheRecipientAppliesItToTheRecipient() {
    BouncedRecipient b = only("""
        From: Mail Administrator <Postmaster@isp.example.net>
        To: app@shop.example.com
        Subject: Mail System Error - Returned Mail

        This Message was undeliverable due to the following reason:

        The user(s) account is temporarily over quota.

        <bob@isp.example.net>

        Please reply to Postmaster@isp.example.net
        if you feel this message to be in error.
        """);

    assertThat(b.recipient()).isEqualTo("bob@isp.example.net");
    assertThat(b.reason()).isEqualTo(BounceReason.MAILBOXFULL);
    assertThat(b.hard()).isFalse();
  }

  @Test
  void aNoticeThatNamesOnlyTheSenderAndAScreenNameReportsNobody() {
    assertThat(parse("""
        From: AOL Mail <MAILER-DAEMON@aol.example.com>
        To: app@shop.example.com
        Subject: Mail Delivery Problem

        Your mail to the following recipients could not be delivered because they are not accepting
        mail from app@shop.example.com:
        \tscreenname42
        """)).isEmpty();
  }

  @Test
  void qmailLocalsNoMailboxByThatNameIsAnUnknownUserWhateverTheStep() {
    BouncedRecipient b = only("""
        From: MAILER-DAEMON@mail.example.net
        To: app@shop.example.com
        Subject: failure notice

        Hi. This is the qmail-send program at mail.example.net.
        I'm afraid I wasn't able to deliver your message to the following addresses.
        This is a permanent error; I've given up. Sorry it didn't work out.

        <carol@example.net>:
        Sorry, no mailbox here by that name. (#5.1.1)
        """);

    assertThat(b.recipient()).isEqualTo("carol@example.net");
    assertThat(b.reason()).isEqualTo(BounceReason.USERUNKNOWN);
    assertThat(b.hard()).isTrue();
  }
}
