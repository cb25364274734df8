package org.mailwarden.internal.quota;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.caffeine.Bucket4jCaffeine;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;

/**
 * Quota buckets held in this JVM, in a Caffeine cache shared by every session: two sessions with the
 * same {@code app} share their quotas. A bucket is dropped once it has refilled completely (then it is
 * indistinguishable from a new one), and at most {@value #MAX_BUCKETS} buckets are kept.
 */
public final class LocalQuotaStore implements QuotaStore {
  /** The most buckets kept at once; beyond it the least used full ones are evicted first. */
  public static final int MAX_BUCKETS = 100_000;

  private static final LocalQuotaStore INSTANCE = new LocalQuotaStore();

  // maintenance on the calling thread: every charge is a write, and handing each one's clean-up to
  // the common ForkJoinPool (Caffeine's default) cost a thread wake-up per charge, most of the time
  // of the whole decision path (measured: BENCHMARKS.md)
  private final ProxyManager<String> buckets = Bucket4jCaffeine.<String>builderFor(
          Caffeine.newBuilder().maximumSize(MAX_BUCKETS).executor(Runnable::run))
      .expirationAfterWrite(
          ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
      .build();

  private LocalQuotaStore() {}

  /** Returns the JVM-wide store. */
  public static LocalQuotaStore instance() {
    return INSTANCE;
  }

  @Override
  public ProxyManager<String> buckets() {
    return buckets;
  }
}
