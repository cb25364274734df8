package org.mailwarden.spi;

import java.time.Clock;

/**
 * What a store is given by the Mailwarden environment that opens it: its sources of time. A store
 * reads time only through its context, so a test can run it on a fake clock.
 */
public interface StoreContext {
  /**
   * Returns the wall clock: the times of suppression entries ({@code since}, {@code expiresAt}) and of
   * quota bucket states that several processes share.
   */
  Clock clock();

  /**
   * Returns the current value of a monotonic time source in nanoseconds, as {@link System#nanoTime()}
   * does: only differences between two readings have a meaning (deadlines, latencies, the refill of
   * buckets held in this JVM).
   */
  long nanoTime();
}
