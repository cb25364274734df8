package org.mailwarden.bounce.parser;

import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailwarden.bounce.parser.BuiltBouncesTest.parse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.internal.suppression.SuppressionRules;

/**
 * Messages that come back to a sender without being bounces: auto-replies marked the old way or only
 * by a subject in the user's language, and challenge-response requests in the wording of the common
 * services. Written here; the names are made up.
 */
class AutoRepliesAndChallengesTest {

  private static void suppressesNobody(List<BouncedRecipient> records) {
    assertThat(records).allSatisfy(r -> {
      assertThat(r.hard()).isFalse();
      assertThat(SuppressionRules.of(r)).isNotEqualTo(SuppressionRules.Verdict.SUPPRESS);
    });
  }

  @Test
  void aVacationReplyMarkedOnlyByPrecedenceAutoReplyIsAVacationRecord() {
    List<BouncedRecipient> records = parse("""
        From: Anna Berg <anna@example.org>
        To: app@shop.example.com
        Subject: Re: Your order
        Precedence: auto_reply

        I am travelling until Monday and read no mail. Your message could not be delivered to me
        personally; it will be read when I am back.
        """);

    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.recipient()).isEqualTo("anna@example.org");
      assertThat(r.reason()).isEqualTo(BounceReason.VACATION);
    });
    suppressesNobody(records);
  }

  @Test
  void anOutlookAutomaticReplyInGermanIsAVacationRecord() {
    List<BouncedRecipient> records = parse("""
        From: Jonas Weber <jonas@example.de>
        To: app@shop.example.com
        Subject: Automatische Antwort: Your order

        Ich bin bis 12. Mai nicht im Büro. Unzustellbare Anfragen bitte an info@example.de.
        """);

    assertThat(records).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(BounceReason.VACATION));
    suppressesNobody(records);
  }

  @Test
  void aChallengeResponseRequestInSpamArrestWordingIsNotABounce() {
    assertThat(parse("""
        From: carol@example.net
        To: app@shop.example.com
        Subject: Re: Your order [Please verify]

        Hello, I am protecting myself from receiving junk mail. Your message to carol@example.net
        was not delivered yet. Please click the link below to be added to my list of approved
        senders: https://verify.example.net/c/8731
        """)).isEmpty();
  }

  @Test
  void aGuestListRequestIsNotABounce() {
    assertThat(parse("""
        From: Boxbe <notify@boxbe.example.com>
        To: app@shop.example.com
        Subject: Request to join dave@example.org's Guest List

        Your message to dave@example.org has been waitlisted. To be added to dave's Guest List and have
        your message delivered, please complete the one-time verification.
        """)).isEmpty();
  }
}
