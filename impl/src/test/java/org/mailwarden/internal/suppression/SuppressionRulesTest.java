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
      "550|550 5.1.8 sender domain does not resolve|SOFT",
      "553|553 5.1.7 bad sender address syntax|SOFT",
      "550|550 5.7.1 relaying denied|SOFT",
      "550|550 no such user here|SOFT",
      "450|450 4.1.1 try again later|SOFT",
      "452|452 4.2.2 mailbox full|SOFT",
      "250|250 2.1.5 ok|IGNORE"})
  void replyVerdicts(int code, String response, Verdict expected) {
    assertThat(SuppressionRules.ofReply(code, response)).isEqualTo(expected);
  }
}
