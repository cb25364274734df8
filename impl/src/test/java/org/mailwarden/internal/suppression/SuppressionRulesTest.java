package org.mailwarden.internal.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwarden.internal.suppression.SuppressionRules.Verdict;

/** Which RCPT replies suppress at once, which count as soft, which are no failure. */
class SuppressionRulesTest {
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "550|550 5.1.1 <x@example.com>: Recipient address rejected: User unknown|SUPPRESS",
      "553|553 5.1.3 bad address syntax|SUPPRESS",
      "550|550 5.1.10 null MX|SUPPRESS",
      "550|550 5.1.8 sender domain does not resolve|IGNORE",
      "553|553 5.1.7 bad sender address syntax|IGNORE",
      "550|550 5.7.1 relaying denied|IGNORE",
      "554|554 5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org|IGNORE",
      "451|451 4.7.1 Greylisted, please try again later|IGNORE",
      "550|550 no such user here|SOFT",
      "450|450 4.1.1 try again later|SOFT",
      "452|452 4.2.2 mailbox full|SOFT",
      "250|250 2.1.5 ok|IGNORE"})
  void replyVerdicts(int code, String response, Verdict expected) {
    assertThat(SuppressionRules.ofReply(code, response)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} hard={1} -> {2}")
  @CsvSource({"USERUNKNOWN,true,SUPPRESS", "MAILBOXFULL,false,SOFT", "SUSPEND,false,SOFT",
      "BLOCKED,false,IGNORE", "BADREPUTATION,false,IGNORE", "SPAMDETECTED,false,IGNORE",
      "AUTHFAILURE,false,IGNORE", "FEEDBACK,false,SUPPRESS", "VACATION,false,IGNORE"})
  void bounceVerdictsNeverBlameTheRecipientForTheSender(org.mailwarden.bounce.BounceReason reason,
      boolean hard, Verdict expected) {
    org.mailwarden.bounce.BouncedRecipient bounce = new org.mailwarden.bounce.BouncedRecipient(
        "a@example.com", "failed", "5.0.0", 550, "", reason, hard, null, null, null);
    assertThat(SuppressionRules.of(bounce)).isEqualTo(expected);
  }
}
