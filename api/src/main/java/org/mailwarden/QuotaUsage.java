package org.mailwarden;

import java.time.Duration;
import java.util.Objects;

/**
 * The state of one quota of an application at the moment it was read: how many tokens the limit
 * allows per period and how many are left now. Read-only; reading it never uses quota.
 *
 * <p>{@code available} is negative when the bucket is in debt: a message with more recipients than a
 * recipient limit's capacity is admitted into a full bucket and leaves it below zero (see the README's
 * "Quotas").
 *
 * @param limit the configuration key of the limit without prefix, for example
 *     {@code limit.messages-per-minute} or {@code limit.domain.gmail.com.recipients-per-hour}
 * @param capacity tokens per period, positive
 * @param available tokens left now; equal to {@code capacity} for an unused (or fully refilled) quota
 * @param period the period the capacity refills over, greedily
 */
public record QuotaUsage(String limit, long capacity, long available, Duration period) {
  /** Checks that no component is null and the capacity is positive. */
  public QuotaUsage {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(period, "period");
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, not " + capacity);
    }
  }

  /** Returns the tokens used in the current period: {@code capacity - available}; above capacity when in debt. */
  public long used() {
    return capacity - available;
  }

  /** Returns true when no token is left, so the next message charged to this limit is refused (or waits). */
  public boolean isExhausted() {
    return available <= 0;
  }
}
