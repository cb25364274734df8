package org.mailwarden.internal.quota;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Quota buckets held in this JVM: plain, lock-free Bucket4j buckets in a Caffeine cache shared by
 * every session, so two sessions with the same {@code app} share their quotas. A bucket is dropped
 * once it has refilled completely (then it is indistinguishable from a new one), and at most
 * {@value #MAX_BUCKETS} buckets are kept.
 *
 * <p>A charge does not go through the cache (it is a compare-and-set on the bucket), so the time a
 * bucket is kept is set when it is looked up, from its state then: the time it needs to refill
 * completely, plus one full period (room for the charge that follows the look-up), plus a second.
 * A charge larger than the capacity (a message with more recipients than a recipient limit) has it
 * set again afterwards ({@link #inDebt}), so its debt is counted.
 */
public final class LocalQuotaStore implements QuotaStore {
  /** The most buckets kept at once; beyond it the least used ones are evicted first. */
  public static final int MAX_BUCKETS = 100_000;

  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final LocalQuotaStore INSTANCE =
      new LocalQuotaStore(Ticker.systemTicker(), TimeMeter.SYSTEM_MILLISECONDS);

  private final TimeMeter clock;
  private final Cache<String, LocalBucket> buckets;

  /**
   * @param ticker the cache's clock, which the time a bucket is kept is counted on
   * @param clock the buckets' clock, which they refill on
   */
  LocalQuotaStore(Ticker ticker, TimeMeter clock) {
    this.clock = clock;
    // maintenance on the calling thread: Caffeine's default hands each look-up's clean-up to the
    // common ForkJoinPool, a thread wake-up per charge (measured: BENCHMARKS.md)
    this.buckets = Caffeine.newBuilder()
        .maximumSize(MAX_BUCKETS)
        .executor(Runnable::run)
        .ticker(ticker)
        .expireAfter(new Expiry<String, LocalBucket>() {
          @Override
          public long expireAfterCreate(String key, LocalBucket bucket, long now) {
            return keep(bucket);
          }

          @Override
          public long expireAfterUpdate(String key, LocalBucket bucket, long now, long current) {
            return keep(bucket);
          }

          // no look-up is a plain read (each is a compute): Caffeine applies a time set on a read
          // only when it moves by more than a second, which ate the grace
          @Override
          public long expireAfterRead(String key, LocalBucket bucket, long now, long current) {
            return current;
          }
        })
        .build();
  }

  /** Returns the JVM-wide store. */
  public static LocalQuotaStore instance() {
    return INSTANCE;
  }

  @Override
  public Bucket bucket(String key, Supplier<BucketConfiguration> configuration) {
    return buckets.asMap().compute(key, (k, b) -> b != null ? b : create(configuration.get()));
  }

  @Override
  public void inDebt(String key) {
    buckets.asMap().computeIfPresent(key, (k, bucket) -> bucket);
  }

  @Override
  public boolean holds(String key) {
    return buckets.asMap().containsKey(key);
  }

  private LocalBucket create(BucketConfiguration configuration) {
    LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(clock);
    for (Bandwidth b : configuration.getBandwidths()) {
      builder.addLimit(b);
    }
    return builder.build();
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
}
