package org.mailwarden.internal.dns;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one session's recipient domain checks, for metrics: read them at any time (for
 * example from a Micrometer gauge or function counter); they only grow.
 */
public final class DnsStats {
  private final LongAdder lookups = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder failures = new LongAdder();

  DnsStats() {}

  /** Returns how many domains were looked up in DNS (one lookup may send up to three queries). */
  public long lookups() {
    return lookups.sum();
  }

  /**
   * Returns how many checks were answered without a new lookup: from the cache, or by joining a
   * lookup of the same domain already in flight.
   */
  public long cacheHits() {
    return cacheHits.sum();
  }

  /** Returns how many lookups ended in a DNS failure (timeout, SERVFAIL, REFUSED, network error). */
  public long failures() {
    return failures.sum();
  }

  void lookup() {
    lookups.increment();
  }

  void cacheHit() {
    cacheHits.increment();
  }

  void failure() {
    failures.increment();
  }

  @Override
  public String toString() {
    return "DnsStats{lookups=" + lookups() + ", cacheHits=" + cacheHits() + ", failures=" + failures() + '}';
  }
}
