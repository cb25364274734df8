package org.mailwarden.internal.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.testing.FakeTime;

class CorrelationTest {
  private static final Duration WINDOW = Duration.ofDays(7);
  private final FakeTime time = new FakeTime();

  private static SendReport report(String envid, String messageId) {
    return new SendReport("app", envid, messageId, null, List.of(), List.of(), List.of(), List.of());
  }

  private static BouncedRecipient bounce(String envid, String messageId) {
    return new BouncedRecipient("x@example.com", "failed", "5.1.1", 550, "", BounceReason.USERUNKNOWN,
        true, envid, messageId, null);
  }

  private static Optional<SendReport> found(Correlation c, String envid, String messageId) {
    return c.find(bounce(envid, messageId)).map(Correlation.Sent::report);
  }

  @Test
  void aSendIsFoundByItsEnvelopeIdAndByItsMessageId() {
    Correlation c = new Correlation(WINDOW, 100, time);
    SendReport sent = report("E1", "<m1@example.com>");
    c.remember(sent, MailwardenListener.NONE, time.read());

    assertThat(found(c, "E1", null)).containsSame(sent);
    assertThat(found(c, " E1 ", null)).containsSame(sent);
    assertThat(found(c, null, "m1@example.com")).containsSame(sent);
    assertThat(found(c, "unknown", "<m1@example.com>")).containsSame(sent);
    assertThat(found(c, "unknown", "<other@example.com>")).isEmpty();
    assertThat(found(c, null, " < m1@example.com > ")).containsSame(sent);
  }

  @Test
  void aMessageIdWrittenLooselyByTheApplicationIsFoundHowEverTheBounceQuotesIt() {
    Correlation c = new Correlation(WINDOW, 100, time);
    SendReport sent = report(null, " m2@example.com ");
    c.remember(sent, MailwardenListener.NONE, time.read());

    assertThat(found(c, null, "<m2@example.com>")).containsSame(sent);
    assertThat(found(c, null, "m2@example.com")).containsSame(sent);
  }

  @Test
  void aSendWithoutEnvelopeIdIsFoundByItsMessageId() {
    Correlation c = new Correlation(WINDOW, 100, time);
    SendReport sent = report(null, "<m1@example.com>");
    c.remember(sent, MailwardenListener.NONE, time.read());

    assertThat(found(c, null, "<m1@example.com>")).containsSame(sent);
  }

  @Test
  void anEnvelopeIdNeverFindsASendRememberedByItsMessageId() {
    Correlation c = new Correlation(WINDOW, 100, time);
    c.remember(report(null, "m1@example.com"), MailwardenListener.NONE, time.read());

    assertThat(found(c, "m1@example.com", null)).isEmpty();
  }

  @Test
  void aSendIsForgottenOnceItsWindowHasPassed() {
    Correlation c = new Correlation(WINDOW, 100, time);
    SendReport early = report("E1", "<m1@example.com>");
    c.remember(early, MailwardenListener.NONE, time.read());
    time.advance(WINDOW.minusSeconds(1));
    SendReport late = report("E2", "<m2@example.com>");
    c.remember(late, MailwardenListener.NONE, time.read());
    time.advance(Duration.ofSeconds(1));

    assertThat(found(c, "E1", "<m1@example.com>")).isEmpty();
    assertThat(found(c, "E2", null)).containsSame(late);
    time.advance(WINDOW);
    assertThat(found(c, "E2", "<m2@example.com>")).isEmpty();
  }

  @Test
  void theLatestSendOfAMessageIdWinsWhateverItsEnvelopeId() {
    Correlation c = new Correlation(WINDOW, 100, time);
    SendReport withEnvid = report("E1", "<same@example.com>");
    SendReport without = report(null, "<same@example.com>");
    c.remember(withEnvid, MailwardenListener.NONE, time.read());
    c.remember(without, MailwardenListener.NONE, time.read());
    assertThat(found(c, null, "<same@example.com>")).containsSame(without);

    SendReport again = report("E2", "<same@example.com>");
    c.remember(again, MailwardenListener.NONE, time.read());
    assertThat(found(c, null, "<same@example.com>")).containsSame(again);
    assertThat(found(c, "E1", null)).containsSame(withEnvid);
  }

  @Test
  void theLatestSendsAreRememberedAndNoMoreThanOneSixtyFourthBeyondTheSize() {
    int size = 1_000;
    int sends = 20 * size;
    Correlation c = new Correlation(WINDOW, size, time);
    for (int i = 0; i < sends; i++) {
      c.remember(report("E" + i, "<m" + i + "@example.com>"), MailwardenListener.NONE, time.read());
      time.advance(Duration.ofMillis(1));
    }

    int remembered = 0;
    for (int i = 0; i < sends; i++) {
      boolean byEnvid = found(c, "E" + i, null).isPresent();
      assertThat(found(c, null, "<m" + i + "@example.com>").isPresent()).as("send %d by Message-ID", i)
          .isEqualTo(byEnvid);
      if (i >= sends - size) {
        assertThat(byEnvid).as("send %d, one of the latest %d", i, size).isTrue();
      }
      remembered += byEnvid ? 1 : 0;
    }
    assertThat(remembered).isBetween(size, size + size / 64);
  }

  @Test
  void theLatestSendOfAKeyWinsInAFullSegmentAsInTheOneStillFilling() {
    Correlation c = new Correlation(WINDOW, 256, time); // segments of 4 sends
    SendReport first = report("E1", "<same@example.com>");
    SendReport second = report("E1", "<same@example.com>");
    c.remember(first, MailwardenListener.NONE, time.read());
    c.remember(second, MailwardenListener.NONE, time.read());
    c.remember(report("E3", "<m3@example.com>"), MailwardenListener.NONE, time.read());
    SendReport fourth = report(null, "<m4@example.com>");
    c.remember(fourth, MailwardenListener.NONE, time.read()); // the first segment is full
    SendReport filling = report("E5", "<m5@example.com>");
    c.remember(filling, MailwardenListener.NONE, time.read());

    assertThat(found(c, "E1", null)).containsSame(second);
    assertThat(found(c, null, "<same@example.com>")).containsSame(second);
    assertThat(found(c, null, "<m4@example.com>")).containsSame(fourth);
    assertThat(found(c, "E5", null)).containsSame(filling);
    assertThat(found(c, null, "<m5@example.com>")).containsSame(filling);
    assertThat(found(c, "E4", "<m6@example.com>")).isEmpty();

    SendReport third = report("E1", "<same@example.com>"); // into the segment still filling
    c.remember(third, MailwardenListener.NONE, time.read());
    assertThat(found(c, "E1", null)).containsSame(third);
    assertThat(found(c, null, "<same@example.com>")).containsSame(third);
  }

  @Test
  void aSendOutOfItsWindowIsNotFoundThoughItsSegmentIsKept() {
    Correlation c = new Correlation(WINDOW, 64_000, time); // segments of 1,000 sends
    SendReport early = report("E1", "<m1@example.com>");
    c.remember(early, MailwardenListener.NONE, time.read());
    time.advance(WINDOW.minusSeconds(1));
    SendReport late = report("E2", "<m1@example.com>");
    c.remember(late, MailwardenListener.NONE, time.read());
    time.advance(Duration.ofSeconds(1));

    assertThat(found(c, "E1", null)).isEmpty();
    assertThat(found(c, "E2", null)).containsSame(late);
    assertThat(found(c, null, "<m1@example.com>")).containsSame(late);
  }

  @Test
  void aMessageIdSentAgainWithoutEnvelopeIdCountsAsTheLatestSend() {
    Correlation c = new Correlation(WINDOW, 2, time);
    SendReport first = report(null, "<same@example.com>");
    c.remember(first, MailwardenListener.NONE, time.read());
    c.remember(report("E1", "<other@example.com>"), MailwardenListener.NONE, time.read());
    SendReport again = report(null, "<same@example.com>");
    c.remember(again, MailwardenListener.NONE, time.read());
    c.remember(report("E2", null), MailwardenListener.NONE, time.read()); // the size is 2: E1 leaves, the resent Message-ID stays

    assertThat(found(c, "E1", null)).isEmpty();
    assertThat(found(c, null, "<same@example.com>")).containsSame(again);
  }

  @Test
  void aZeroWindowOrSizeRemembersNothing() {
    Correlation noWindow = new Correlation(Duration.ZERO, 100, time);
    Correlation noSize = new Correlation(WINDOW, 0, time);
    noWindow.remember(report("E1", "<m1@example.com>"), MailwardenListener.NONE, time.read());
    noSize.remember(report("E1", "<m1@example.com>"), MailwardenListener.NONE, time.read());

    assertThat(found(noWindow, "E1", "<m1@example.com>")).isEmpty();
    assertThat(found(noSize, "E1", "<m1@example.com>")).isEmpty();
  }
}
