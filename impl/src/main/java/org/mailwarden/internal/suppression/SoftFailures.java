package org.mailwarden.internal.suppression;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Counts soft failures per address within a sliding time window. At most 100,000 addresses are
 * tracked: beyond that Caffeine's size eviction forgets some, favouring those that failed more often
 * (an address forgotten after its first failure may need one failure more to reach the threshold);
 * an address with no failure for a whole window is dropped.
 */
final class SoftFailures {
  private final int threshold;
  private final long windowNanos;
  private final Ticker ticker;
  private final Cache<String, Deque<Long>> failures;

  SoftFailures(int threshold, Duration window, Ticker ticker) {
    this.threshold = threshold;
    this.windowNanos = window.toNanos();
    this.ticker = ticker;
    this.failures = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(window)
        .maximumSize(100_000).build();
  }

  /**
   * Counts one failure of an address; returns the failures within the window when they reached the
   * threshold (and forgets them), else 0. Always 0 when the threshold is 0 (off).
   */
  int count(String address) {
    if (threshold == 0) {
      return 0;
    }
    long now = ticker.read();
    int[] reached = {0};
    failures.asMap().compute(address, (a, times) -> {
      Deque<Long> t = times == null ? new ArrayDeque<>() : times;
      while (!t.isEmpty() && now - t.peekFirst() >= windowNanos) {
        t.pollFirst();
      }
      t.addLast(now);
      if (t.size() >= threshold) {
        reached[0] = t.size();
        return null;
      }
      return t;
    });
    return reached[0];
  }

  void forget(String address) {
    failures.invalidate(address);
  }
}
