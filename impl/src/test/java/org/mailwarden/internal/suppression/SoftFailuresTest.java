package org.mailwarden.internal.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mailwarden.testing.FakeTime;

class SoftFailuresTest {
  private final FakeTime time = new FakeTime();

  @Test
  void theThresholdIsReachedWithinTheWindowAndTheCountStartsAgain() {
    SoftFailures soft = new SoftFailures(3, Duration.ofDays(1), time);
    assertThat(soft.count("a@example.com")).isZero();
    time.advance(Duration.ofHours(1));
    assertThat(soft.count("a@example.com")).isZero();
    assertThat(soft.count("a@example.com")).isEqualTo(3);
    assertThat(soft.count("a@example.com")).isZero(); // forgotten once reported
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    SoftFailures soft = new SoftFailures(3, Duration.ofDays(1), time);
    soft.count("a@example.com");
    soft.count("a@example.com");
    time.advance(Duration.ofDays(1));
    assertThat(soft.count("a@example.com")).isZero();
    assertThat(soft.count("a@example.com")).isZero();
    assertThat(soft.count("a@example.com")).isEqualTo(3);
  }
}
