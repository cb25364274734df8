package org.mailwarden.internal.quota;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.mailwarden.spi.QuotaStore;

/**
 * Quota buckets held in this JVM: plain Bucket4j buckets (synchronized) in a Caffeine cache shared by
 * every session of an environment ({@code Environment#localQuotas}), so two sessions with the same
 * {@code app} share their quotas. A bucket is dropped
 * once it has refilled completely (then it is indistinguishable from a new one), and at most
 * {@value #MAX_BUCKETS} buckets are kept.
 *
 * <p>A charge does not go through the cache (it is a compare-and-set on the bucket), so the time a
 * bucket is kept is set when it is looked up, from its state then: the time it needs to refill
 * completely, plus one full period (room for the charge that follows the look-up), plus a second.
 * A charge larger than the capacity (a message with more recipients than a recipient limit) has it
 * set again afterwards ({@link #inDebt}), so its debt is counted.
 *
 * <p>Setting that time (a locked update of the cache entry and a read of the bucket's state) costs
 * more than the charge, so a look-up skips it while the time last set still covers the charge that
 * follows: until the time that bucket then needed to refill, plus half a second. Such a look-up
 * touches nothing in the cache. A charge it allows that leaves the bucket out of debt leaves it
 * full within one period (as the room above assumes, a bandwidth refills its capacity each period),
 * which the time set covers with at least half a second to spare; a charge that puts it in debt
 * sets the time again. So a bucket is never dropped before it has refilled, and the buckets
 * evicted first beyond {@value #MAX_BUCKETS} are those least often looked up with the time set.
 */
public final class LocalQuotaStore implements QuotaStore {
  /** The most buckets kept at once; beyond it the least used ones are evicted first. */
  public static final int MAX_BUCKETS = 100_000;

  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** {@link #chargeTime} outside a charge. */
  private static final long NOT_CHARGING = Long.MIN_VALUE;

  private final Ticker ticker;
  /**
   * Per thread, the time of the charge it is making, or {@link #NOT_CHARGING}. A charge looks up and
   * charges every bucket of a send at that one time: the cache reads its clock at each look-up to
   * check expiry, and each bucket at each charge: one read per charge instead of one per look-up and
   * per bucket.
   */
  private final ThreadLocal<long[]> chargeTime = ThreadLocal.withInitial(() -> new long[] {NOT_CHARGING});
  /** The time of the cache and of the buckets: the charge's, or else the ticker's. */
  private final Ticker cacheTicker = this::now;
  private final TimeMeter bucketClock = new TimeMeter() {
    @Override
    public long currentTimeNanos() {
      return now();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  };
  private final Cache<String, Held> buckets;
  private final Policy<String, Held> policy;

  /** @param ticker the clock of the buckets and of the time they are kept */
  public LocalQuotaStore(Ticker ticker) {
    this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
    // maintenance on the calling thread: Caffeine's default hands each look-up's clean-up to the
    // common ForkJoinPool, a thread wake-up per charge (measured: BENCHMARKS.md)
    this.buckets = Caffeine.newBuilder()
        .maximumSize(MAX_BUCKETS)
        .executor(Runnable::run)
        .ticker(cacheTicker)
        .expireAfter(new Expiry<String, Held>() {
          @Override
          public long expireAfterCreate(String key, Held held, long now) {
            return held.keep(now);
          }

          @Override
          public long expireAfterUpdate(String key, Held held, long now, long current) {
            return held.keep(now);
          }

          // no look-up is a plain read (they are quiet, or a compute): Caffeine applies a time set
          // on a read only when it moves by more than a second, and unlocked, so it could disagree
          // with quietUntil and eat the grace
          @Override
          public long expireAfterRead(String key, Held held, long now, long current) {
            return current;
          }
        })
        .build();
    this.policy = buckets.policy();
  }

  @Override
  public Shortfall chargeAll(List<Charge> charges) {
    long[] time = chargeTime.get();
    time[0] = ticker.read();
    try {
      return QuotaStore.super.chargeAll(charges);
    } finally {
      time[0] = NOT_CHARGING;
    }
  }

  private long now() {
    long charging = chargeTime.get()[0];
    return charging != NOT_CHARGING ? charging : ticker.read();
  }

  @Override
  public Bucket bucket(String key, Supplier<BucketConfiguration> configuration) {
    Held held = policy.getIfPresentQuietly(key);
    if (held != null && now() - held.quietUntil < 0) {
      return held.bucket;
    }
    // a compute sets the time under the entry's lock, so the time and quietUntil always agree
    return buckets.asMap()
        .compute(key, (k, h) -> h != null ? h : new Held(create(configuration.get())))
        .bucket;
  }

  @Override
  public void inDebt(String key) {
    buckets.asMap().computeIfPresent(key, (k, held) -> held);
  }

  @Override
  public boolean holds(String key) {
    return buckets.asMap().containsKey(key);
  }

  private LocalBucket create(BucketConfiguration configuration) {
    // synchronized, not Bucket4j's default lock-free buckets: those copy their state on every
    // attempt and retry under contention; measured (BENCHMARKS.md) 340 -> 271 ns per two-bucket
    // charge on one thread, 521 -> 310 ns with 8 threads on 2 cores
    LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(bucketClock)
        .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED);
    for (Bandwidth b : configuration.getBandwidths()) {
      builder.addLimit(b);
    }
    return builder.build();
  }

  /** A bucket, and until when a look-up need not set the time it is kept again. */
  private static final class Held {
    final LocalBucket bucket;
    /** On the cache's ticker; written only while the cache holds the entry's lock. */
    volatile long quietUntil;

    Held(LocalBucket bucket) {
      this.bucket = bucket;
    }

    /**
     * Returns the nanoseconds to keep the bucket from now ({@link LocalQuotaStore#keep}) and lets
     * look-ups be quiet until that time less one period and half a second: a charge until then that
     * leaves the bucket out of debt is refilled within one period, half a second before it is dropped.
     */
    long keep(long now) {
      long keep = LocalQuotaStore.keep(bucket);
      quietUntil = now + keep - longestPeriod(bucket) - GRACE_NANOS / 2;
      return keep;
    }
  }

  /** Nanoseconds to keep a bucket: until every bandwidth is full, plus one period, plus a second. */
  private static long keep(LocalBucket bucket) {
    long available = bucket.getAvailableTokens();
    long keep = 0;
    for (Bandwidth b : bucket.getConfiguration().getBandwidths()) {
      long missing = b.getCapacity() - Math.min(available, b.getCapacity());
      double periods = (double) missing / b.getRefillTokens() + 1;
      keep = Math.max(keep, (long) Math.min(Long.MAX_VALUE / 2.0, periods * b.getRefillPeriodNanos()));
    }
    return keep + GRACE_NANOS;
  }

  /** The longest refill period of a bucket's bandwidths: the room {@link #keep} leaves for a charge. */
  private static long longestPeriod(LocalBucket bucket) {
    long period = 0;
    for (Bandwidth b : bucket.getConfiguration().getBandwidths()) {
      period = Math.max(period, b.getRefillPeriodNanos());
    }
    return period;
  }
}
