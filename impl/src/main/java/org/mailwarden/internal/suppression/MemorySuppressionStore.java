package org.mailwarden.internal.suppression;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailwarden.spi.SuppressionStore;
import org.mailwarden.suppression.Suppression;

/**
 * The suppression list in a Caffeine cache, each entry expiring at its own {@code expiresAt}
 * ({@code suppression.store=memory}, and the index of the file store). Unbounded in size: a
 * suppression is never evicted to make room, only when it expires or is removed.
 */
public final class MemorySuppressionStore implements SuppressionStore {
  private final Clock clock;
  private final Cache<String, Suppression> entries;

  public MemorySuppressionStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.entries = Caffeine.newBuilder()
        .ticker(() -> clock.millis() * 1_000_000L)
        .expireAfter(new Expiry<String, Suppression>() {
          @Override
          public long expireAfterCreate(String key, Suppression value, long currentTime) {
            return remaining(value);
          }

          @Override
          public long expireAfterUpdate(String key, Suppression value, long currentTime,
              long currentDuration) {
            return remaining(value);
          }

          @Override
          public long expireAfterRead(String key, Suppression value, long currentTime,
              long currentDuration) {
            return currentDuration;
          }
        })
        .build();
  }

  private long remaining(Suppression value) {
    if (value.expiresAt() == null) {
      return Long.MAX_VALUE;
    }
    Duration left = Duration.between(clock.instant(), value.expiresAt());
    if (left.isNegative()) {
      return 0;
    }
    try {
      return left.toNanos();
    } catch (ArithmeticException tooFar) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public Optional<Suppression> find(String address) {
    Suppression s = entries.getIfPresent(address);
    return s == null || s.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(s);
  }

  @Override
  public void put(Suppression entry) {
    if (entry.isExpiredAt(clock.instant())) {
      entries.invalidate(entry.address());
    } else {
      entries.put(entry.address(), entry);
    }
  }

  @Override
  public boolean remove(String address) {
    Suppression old = entries.asMap().remove(address);
    return old != null && !old.isExpiredAt(clock.instant());
  }

  @Override
  public List<Suppression> list() {
    Instant now = clock.instant();
    return entries.asMap().values().stream().filter(s -> !s.isExpiredAt(now))
        .sorted(Comparator.comparing(Suppression::since).thenComparing(Suppression::address))
        .toList();
  }

  /** Returns the number of live entries (expired ones may be counted until Caffeine drops them). */
  @Override
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  @Override
  public void close() {
    entries.invalidateAll();
  }
}
