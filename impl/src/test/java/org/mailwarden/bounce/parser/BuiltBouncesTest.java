package org.mailwarden.bounce.parser;

import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mailwarden.internal.suppression.SuppressionRules;

/**
 * One test per class of issue 14, on messages written here from RFC 3464 (reports), RFC 3463 (status
 * codes), RFC 3834 (auto-replies) and the wording the MTAs and providers document; none is copied from
 * a corpus. Host and address names are made up.
 */
class BuiltBouncesTest {

  /** Builds a multipart/report with one text part, one delivery-status part and the returned headers. */
  static String report(String perMessage, String perRecipient, String returnedTo) {
    return """
        From: Mail Delivery System <MAILER-DAEMON@relay.example.net>
        To: app@shop.example.com
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain

        I'm sorry to have to inform you that your message could not be delivered.

        --b1
        Content-Type: message/delivery-status

        %s

        %s

        --b1
        Content-Type: text/rfc822-headers

        From: app@shop.example.com
        To: %s
        Subject: Your order
        Message-ID: <order-1@shop.example.com>

        --b1--
        """.formatted(perMessage.strip(), perRecipient.strip(), returnedTo);
  }

  static List<BouncedRecipient> parse(String message) {
    return BounceParser.parse(message.getBytes(StandardCharsets.UTF_8));
  }

  static BouncedRecipient only(String message) {
    List<BouncedRecipient> all = parse(message);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static final String REPORTING = """
      Reporting-MTA: dns; relay.example.net
      Original-Envelope-Id: 7f3c2a10
      """;

  @Nested
  class WhichAddressBounced {
    @Test
    void anAliasedRecipientIsReportedByTheAddressTheSenderUsedNotTheAliasTarget() {
      BouncedRecipient b = only(report(REPORTING, """
          Original-Recipient: rfc822;sales@shop-partner.example.org
          Final-Recipient: rfc822;j.doe@mailhost.example.org
          Action: failed
          Status: 5.1.1
          Diagnostic-Code: smtp; 550 5.1.1 <j.doe@mailhost.example.org>: Recipient address rejected: User unknown
          """, "sales@shop-partner.example.org"));

      assertThat(b.recipient()).isEqualTo("sales@shop-partner.example.org");
      assertThat(b.reason()).isEqualTo(BounceReason.USERUNKNOWN);
      assertThat(b.hard()).isTrue();
      assertThat(b.envelopeId()).isEqualTo("7f3c2a10");
      assertThat(SuppressionRules.of(b)).isEqualTo(SuppressionRules.Verdict.SUPPRESS);
    }

    @Test
    void theFinalAddressIsKeptWhenTheOriginalIsTheSameAddressWithoutItsQuotes() {
      BouncedRecipient b = only(report(REPORTING, """
          Final-Recipient: rfc822;"first..last"@example.org
          Original-Recipient: rfc822;first..last@example.org
          Action: failed
          Status: 5.1.1
          """, "\"first..last\"@example.org"));

      assertThat(b.recipient()).isEqualTo("\"first..last\"@example.org");
    }

    @Test
    void aQuotedLocalPartWithASpaceIsReadWholeNotReplacedByTheReturnedTo() {
      BouncedRecipient b = only(report(REPORTING, """
          Final-Recipient: rfc822; "jane doe"@example.org
          Action: failed
          Status: 5.1.1
          """, "list@example.org"));

      assertThat(b.recipient()).isEqualTo("\"jane doe\"@example.org");
    }

    @Test
    void withoutAnOriginalRecipientTheFinalRecipientIsReported() {
      BouncedRecipient b = only(report(REPORTING, """
          Final-Recipient: rfc822; carol@example.org
          Action: failed
          Status: 5.2.2
          Diagnostic-Code: smtp; 552 5.2.2 Mailbox full
          """, "carol@example.org"));

      assertThat(b.recipient()).isEqualTo("carol@example.org");
      assertThat(b.reason()).isEqualTo(BounceReason.MAILBOXFULL);
      assertThat(b.hard()).isFalse();
    }

    @Test
    void aForwardedAddressInEximWordingIsReportedByTheAddressItWasGeneratedFrom() {
      BouncedRecipient b = only("""
          From: Mail Delivery System <Mailer-Daemon@mx.example.net>
          To: app@shop.example.com
          Subject: Mail delivery failed: returning message to sender
          X-Failed-Recipients: dave.forward@elsewhere.example.org
          Auto-Submitted: auto-replied

          This message was created automatically by mail delivery software.

          A message that you sent could not be delivered to one or more of its
          recipients. This is a permanent error. The following address(es) failed:

            dave.forward@elsewhere.example.org
              (generated from dave@example.net)
              host mx.elsewhere.example.org [192.0.2.10]
              SMTP error from remote mail server after RCPT TO:<dave.forward@elsewhere.example.org>:
              550 5.1.1 No such user here
          """);

      assertThat(b.recipient()).isEqualTo("dave@example.net");
      assertThat(b.reason()).isEqualTo(BounceReason.USERUNKNOWN);
      assertThat(b.status()).isEqualTo("5.1.1");
    }

    @Test
    void aBounceForwardedToThePostmasterAsAnAttachmentIsReadAsTheReportItCarries() {
      String inner = report(REPORTING, """
          Final-Recipient: rfc822; erin@example.org
          Action: failed
          Status: 5.1.1
          Diagnostic-Code: smtp; 550 5.1.1 User unknown
          """, "erin@example.org");
      BouncedRecipient b = only("""
          From: postmaster@shop.example.com
          To: bounces@shop.example.com
          Subject: Fwd: Undelivered Mail Returned to Sender
          MIME-Version: 1.0
          Content-Type: multipart/mixed; boundary="outer"

          --outer
          Content-Type: text/plain

          Forwarded bounce.

          --outer
          Content-Type: message/rfc822

          %s
          --outer--
          """.formatted(inner));

      assertThat(b.recipient()).isEqualTo("erin@example.org");
      assertThat(b.reason()).isEqualTo(BounceReason.USERUNKNOWN);
    }
  }

  @Nested
  class NotBounces {
    @Test
    void aChallengeResponseConfirmationRequestIsNotABounce() {
      assertThat(parse("""
          From: "Frank (via ConfirmGuard)" <confirm@guard.example.net>
          To: app@shop.example.com
          Subject: Please confirm your message to frank@example.org
          Auto-Submitted: auto-replied
          Precedence: bulk

          Hello,

          frank@example.org uses a challenge-response system to protect against spam.
          Your message "Your order" is being held until you confirm that you are a person.
          To have it delivered, please click the link below once:

            https://guard.example.net/confirm?id=5e1d

          Messages that are not confirmed within 7 days are deleted.
          """)).as("an auto-reply at most, never a failure").allSatisfy(r -> {
            assertThat(r.reason()).isEqualTo(BounceReason.VACATION);
            assertThat(SuppressionRules.of(r)).isEqualTo(SuppressionRules.Verdict.IGNORE);
          });
    }

    @Test
    void aWhitelistingRequestWithoutAutoSubmittedSuppressesNobody() {
      List<BouncedRecipient> records = parse("""
          From: Mail Protection <noreply@protect.example.net>
          To: app@shop.example.com
          Subject: Action required: verify your email address to reach grace@example.org

          grace@example.org only accepts email from approved senders.
          To add yourself to the approved senders list (whitelist), visit
          https://protect.example.net/approve/9a8b and enter the code shown there.
          Your message will be delivered once you are approved.
          """);

      assertThat(records).as("an auto-reply at most, never a failure").allSatisfy(r -> {
        assertThat(r.reason()).isEqualTo(BounceReason.VACATION);
        assertThat(SuppressionRules.of(r)).isEqualTo(SuppressionRules.Verdict.IGNORE);
      });
    }

    @Test
    void anOutOfOfficeReplyIsAVacationNoticeThatSuppressesNobody() {
      List<BouncedRecipient> records = parse("""
          From: Heidi Example <heidi@example.org>
          To: app@shop.example.com
          Subject: Out of Office: Your order
          Auto-Submitted: auto-replied
          In-Reply-To: <order-1@shop.example.com>

          I am out of the office until Monday with limited access to email.
          For urgent matters contact ivan@example.org.
          """);

      assertThat(records).allSatisfy(r -> {
        assertThat(r.reason()).isEqualTo(BounceReason.VACATION);
        assertThat(SuppressionRules.of(r)).isEqualTo(SuppressionRules.Verdict.IGNORE);
      });
    }

    @Test
    void anAutomaticReplyNamedOnlyByItsSubjectSuppressesNobody() {
      List<BouncedRecipient> records = parse("""
          From: Judy Example <judy@example.org>
          To: app@shop.example.com
          Subject: Automatic reply: Your order

          Thank you for your email. I am away until 3 March and will reply when I am back.
          """);

      assertThat(records).allSatisfy(r -> {
        assertThat(r.reason()).isEqualTo(BounceReason.VACATION);
        assertThat(SuppressionRules.of(r)).isEqualTo(SuppressionRules.Verdict.IGNORE);
      });
    }
  }

  @Nested
  class Warnings {
    @Test
    void aDelayedActionIsTemporary() {
      BouncedRecipient b = only(report(REPORTING, """
          Final-Recipient: rfc822; kim@example.org
          Action: delayed
          Status: 4.4.1
          Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.20]:25: Connection timed out
          Will-Retry-Until: Sat, 1 Mar 2025 10:00:00 +0000
          """, "kim@example.org"));

      assertThat(b.action()).isEqualTo("delayed");
      assertThat(b.hard()).isFalse();
      assertThat(SuppressionRules.of(b)).isEqualTo(SuppressionRules.Verdict.IGNORE);
    }

    @Test
    void aStillTryingNoticeInFreeTextIsTemporary() {
      BouncedRecipient b = only("""
          From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>
          To: app@shop.example.com
          Subject: Warning: could not send message for past 4 hours

              **********************************************
              **      THIS IS A WARNING MESSAGE ONLY      **
              **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
              **********************************************

          The original message was received at Sat, 1 Mar 2025 06:00:00 +0000
          from localhost [127.0.0.1]

             ----- Transcript of session follows -----
          <leo@example.org>... Deferred: 451 4.3.0 Mailbox temporarily unavailable
          Warning: message still undelivered after 4 hours
          Will keep trying until message is 5 days old
          """);

      assertThat(b.recipient()).isEqualTo("leo@example.org");
      assertThat(b.status()).startsWith("4.");
      assertThat(b.hard()).isFalse();
      assertThat(SuppressionRules.of(b)).isNotEqualTo(SuppressionRules.Verdict.SUPPRESS);
    }
  }

  @Nested
  class VendorFreeText {
    @Test
    void anAddressNamedOnlyInProseIsTheRecipient() {
      BouncedRecipient b = only("""
          From: postmaster@mail.example.net
          To: app@shop.example.com
          Subject: Delivery Notification

          Your message to mia@example.net could not be delivered because the recipient's mailbox is full.
          """);

      assertThat(b.recipient()).isEqualTo("mia@example.net");
      assertThat(b.reason()).isEqualTo(BounceReason.MAILBOXFULL);
      assertThat(b.hard()).isFalse();
    }

    @Test
    void theSenderNamedInProseIsNotTakenForTheRecipient() {
      List<BouncedRecipient> records = parse("""
          From: postmaster@mail.example.net
          To: app@shop.example.com
          Subject: Undeliverable: Your order

          Delivery has failed to these recipients: nick@example.net
          Your message from app@shop.example.com was rejected because the mailbox does not exist.
          """);

      assertThat(records).extracting(BouncedRecipient::recipient).containsExactly("nick@example.net");
    }
  }

  @Nested
  class ReasonsByMeaning {
    private BounceReason reasonOf(String status, String diagnostic) {
      return only(report(REPORTING, """
          Final-Recipient: rfc822; olga@example.org
          Action: failed
          Status: %s
          Diagnostic-Code: smtp; %s
          """.formatted(status, diagnostic), "olga@example.org")).reason();
    }

    @Test
    void vendorWordingsOfAnUnknownMailboxAtRcptAreUserUnknown() {
      assertThat(reasonOf("5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"))
          .isEqualTo(BounceReason.USERUNKNOWN);
      assertThat(reasonOf("5.1.1", "550-5.1.1 The email account that you tried to reach does not exist."))
          .isEqualTo(BounceReason.USERUNKNOWN);
      assertThat(reasonOf("5.0.0", "550 <olga@example.org>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)"))
          .isEqualTo(BounceReason.USERUNKNOWN);
      assertThat(reasonOf("5.1.3", "501 5.1.3 Bad recipient address syntax (in reply to RCPT TO command)"))
          .isEqualTo(BounceReason.USERUNKNOWN);
    }

    @Test
    void aMailboxLookupWordingAtAnUnnamedStepIsUserUnknownButUserWordsStayFiltered() {
      assertThat(reasonOf("5.0.0", "550 No such recipient")).isEqualTo(BounceReason.USERUNKNOWN);
      assertThat(reasonOf("5.0.0", "550 Mailbox not found")).isEqualTo(BounceReason.USERUNKNOWN);
      assertThat(reasonOf("5.0.0", "550 Invalid recipient")).isEqualTo(BounceReason.USERUNKNOWN);
      assertThat(reasonOf("5.0.0", "550 User unknown")).isEqualTo(BounceReason.FILTERED);
    }

    @Test
    void unknownUserWordsAfterDataAreAFilterNotAHardBounce() {
      BouncedRecipient b = only(report(REPORTING, """
          Final-Recipient: rfc822; olga@example.org
          Action: failed
          Status: 5.0.0
          Diagnostic-Code: smtp; 550 User unknown (in reply to end of DATA command)
          """, "olga@example.org"));

      assertThat(b.reason()).isEqualTo(BounceReason.FILTERED);
      assertThat(b.hard()).isFalse();
    }

    @Test
    void domainErrorsAreHostUnknownNotNetworkOrBlocked() {
      assertThat(reasonOf("5.4.4", "Host or domain name not found. Name service error for name=nosuch.example.org type=A: Host not found"))
          .isEqualTo(BounceReason.HOSTUNKNOWN);
      assertThat(reasonOf("5.1.2", "550 5.1.2 Bad destination system address"))
          .isEqualTo(BounceReason.HOSTUNKNOWN);
      assertThat(reasonOf("5.0.0", "553 nosuch.example.org does not exist (in reply to end of DATA command)"))
          .isEqualTo(BounceReason.HOSTUNKNOWN);
    }

    @Test
    void aDomainThatDoesNotResolveThisTimeIsANetworkError() {
      assertThat(reasonOf("4.4.3", "Host or domain name not found. Name service error for name=example.org type=MX: Host not found, try again"))
          .isEqualTo(BounceReason.NETWORKERROR);
    }

    @Test
    void policyAndSpamRefusalsAreAboutTheMessageOrTheSender() {
      assertThat(reasonOf("5.7.1", "554 5.7.1 Message rejected as spam by Content Filtering"))
          .isEqualTo(BounceReason.SPAMDETECTED);
      assertThat(reasonOf("5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.5] blocked using zen.spamhaus.org"))
          .isEqualTo(BounceReason.BLOCKED);
      assertThat(reasonOf("5.7.9", "554 5.7.9 Message not accepted for policy reasons"))
          .isEqualTo(BounceReason.POLICYVIOLATION);
      assertThat(reasonOf("5.7.26", "550 5.7.26 Unauthenticated email from example.net is not accepted due to domain's DMARC policy"))
          .isEqualTo(BounceReason.AUTHFAILURE);
      for (BounceReason r : new BounceReason[] {BounceReason.SPAMDETECTED, BounceReason.BLOCKED,
          BounceReason.POLICYVIOLATION, BounceReason.AUTHFAILURE}) {
        assertThat(r.isHard(550, "5.7.1")).as(r.code()).isFalse();
      }
    }

    @Test
    void aLongLineRefusalIsAboutTheMessageSize() {
      assertThat(reasonOf("5.0.0", "500 Line limit exceeded (in reply to end of DATA command)"))
          .isEqualTo(BounceReason.MESGTOOBIG);
    }

    @Test
    void aMessageGivenUpAfterItsRetriesIsExpired() {
      BouncedRecipient b = only("""
          From: postmaster@mail.example.net
          To: app@shop.example.com
          Subject: Undeliverable mail

          Delivery failed 12 attempts: pat@example.org
          """);

      assertThat(b.recipient()).isEqualTo("pat@example.org");
      assertThat(b.reason()).isEqualTo(BounceReason.EXPIRED);
    }
  }
}
