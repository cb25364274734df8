package org.mailwarden.internal.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.internal.config.SuppressionSettings.ReputationSettings;
import org.mailwarden.internal.config.SuppressionSettings.Resume;
import org.mailwarden.suppression.Reputation;
import org.mailwarden.suppression.Reputation.State;
import org.mailwarden.testing.FakeTime;

/** The sliding window's sums, kept as periods enter and leave it rather than summed per verdict. */
class ReputationMonitorTest {
  /** 60 slots of one minute each. */
  private static final Duration WINDOW = Duration.ofHours(1);
  private final FakeTime time = new FakeTime();
  private final List<Reputation> changes = new ArrayList<>();

  private ReputationMonitor monitor(Resume resume) {
    return new ReputationMonitor("app",
        new ReputationSettings(true, WINDOW, 10, 0.05, 0.10, 0.001, 0.005, resume), time);
  }

  private Reputation status(ReputationMonitor m) {
    return m.status(changes::add);
  }

  @Test
  void countsStayInTheWindowForItsLengthAndLeaveItPeriodByPeriod() {
    ReputationMonitor m = monitor(Resume.AUTO);
    m.sent(100, changes::add);
    time.advance(Duration.ofMinutes(30));
    m.sent(50, changes::add);
    m.bounced(changes::add);

    assertThat(status(m).sends()).isEqualTo(150);
    time.advance(Duration.ofMinutes(29));
    assertThat(status(m).sends()).isEqualTo(150);
    time.advance(Duration.ofMinutes(1)); // the first period leaves
    assertThat(status(m).sends()).isEqualTo(50);
    assertThat(status(m).bounces()).isEqualTo(1);
    time.advance(Duration.ofMinutes(30)); // the second one too
    assertThat(status(m).sends()).isZero();
    assertThat(status(m).bounces()).isZero();
  }

  @Test
  void aSlotReusedAfterAWholeWindowStartsFromZero() {
    ReputationMonitor m = monitor(Resume.AUTO);
    m.sent(100, changes::add);
    time.advance(WINDOW); // the same slot, one window later
    m.sent(7, changes::add);
    assertThat(status(m).sends()).isEqualTo(7);

    time.advance(WINDOW.multipliedBy(1000)); // long idle: the whole window is gone
    assertThat(status(m).sends()).isZero();
    m.sent(3, changes::add);
    assertThat(status(m).sends()).isEqualTo(3);
  }

  @Test
  void aPauseEndsByItselfUnderAutoResumeWhenTheBouncesLeaveTheWindow() {
    ReputationMonitor m = monitor(Resume.AUTO);
    m.sent(100, changes::add);
    for (int i = 0; i < 10; i++) {
      m.bounced(changes::add);
    }
    assertThat(m.isPaused(changes::add)).isTrue();
    time.advance(Duration.ofMinutes(30));
    m.sent(100, changes::add);
    assertThat(m.isPaused(changes::add)).isFalse(); // 10 of 200: a warning, no pause
    assertThat(status(m).state()).isEqualTo(State.WARNING);
    time.advance(Duration.ofMinutes(30));
    assertThat(status(m).state()).isEqualTo(State.OK);
    assertThat(changes).extracting(Reputation::state)
        .containsExactly(State.WARNING, State.PAUSED, State.WARNING, State.OK);
  }

  @Test
  void resumeForgetsTheWindow() {
    ReputationMonitor m = monitor(Resume.MANUAL);
    m.sent(100, changes::add);
    for (int i = 0; i < 10; i++) {
      m.bounced(changes::add);
    }
    assertThat(m.isPaused(changes::add)).isTrue();
    m.resume(changes::add);

    Reputation after = status(m);
    assertThat(after.state()).isEqualTo(State.OK);
    assertThat(after.sends()).isZero();
    assertThat(after.bounces()).isZero();
    m.sent(20, changes::add);
    assertThat(status(m).sends()).isEqualTo(20);
  }
}
