package org.mailwarden.internal.quota;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Where quota buckets live: in this JVM ({@link LocalQuotaStore}, plain lock-free Bucket4j buckets)
 * or in a shared store behind a Bucket4j {@link ProxyManager} ({@link #of(ProxyManager)}). The store
 * hands out buckets by key; the quota logic is the same for every store.
 */
public interface QuotaStore {
  /**
   * Returns the bucket under a key, created with the configuration when the store holds none. Ask
   * for it at every charge: a store may drop a bucket that has refilled and hand out a new one.
   */
  Bucket bucket(String key, Supplier<BucketConfiguration> configuration);

  /** Returns whether the store holds a bucket under the key, without creating one. */
  boolean holds(String key);

  /** Returns a store over a Bucket4j proxy manager (Redis and other distributed stores). */
  static QuotaStore of(ProxyManager<String> buckets) {
    Map<String, Bucket> proxies = new ConcurrentHashMap<>(); // one proxy per configured limit
    return new QuotaStore() {
      @Override
      public Bucket bucket(String key, Supplier<BucketConfiguration> configuration) {
        Bucket proxy = proxies.get(key);
        return proxy != null ? proxy
            : proxies.computeIfAbsent(key, k -> buckets.builder().build(k, configuration));
      }

      @Override
      public boolean holds(String key) {
        return buckets.getProxyConfiguration(key).isPresent();
      }
    };
  }
}
