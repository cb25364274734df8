package org.mailwarden.spi;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Where quota buckets live: in this JVM (plain synchronized Bucket4j buckets) or in a shared store
 * behind a Bucket4j {@link ProxyManager} ({@link #of(ProxyManager)}). The store hands out buckets by
 * key and charges a send's buckets all or none ({@link #chargeAll}); the quota logic is the same for
 * every store.
 *
 * <p>The contract, pinned down by {@code QuotaStoreContract} in the test-jar of {@code mailwarden-impl}:
 * a charge takes every bucket's tokens or none; a refused charge leaves no tokens taken; a shortfall
 * names the first charge that did not fit and a positive wait until it would; concurrent charges never
 * admit more than a bucket's capacity; {@link #holds} never creates a bucket. Implementations are
 * thread-safe.
 */
public interface QuotaStore {
  /**
   * Tokens a send takes from the bucket under a key.
   *
   * @param key the bucket's key, unique per application and limit
   * @param configuration the bucket's limits, asked for only when the store creates the bucket
   * @param capacity the capacity of the bucket's limit
   * @param tokens the tokens to take; above {@code capacity} they are taken only from a full bucket,
   *     which is left in debt
   */
  record Charge(String key, Supplier<BucketConfiguration> configuration, long capacity, long tokens) {}

  /**
   * Why a send was not charged: the first charge that did not fit, and how long until it would.
   *
   * @param charge the index of that charge in the list given to {@link #chargeAll}
   * @param nanosToWait the time until it would fit, at least one nanosecond
   */
  record Shortfall(int charge, long nanosToWait) {}

  /**
   * Returns the bucket under a key, created with the configuration when the store holds none. Ask
   * for it at every charge: a store may drop a bucket that has refilled and hand out a new one.
   */
  Bucket bucket(String key, Supplier<BucketConfiguration> configuration);

  /** Returns whether the store holds a bucket under the key, without creating one. */
  boolean holds(String key);

  /**
   * Hears that a charge has just left the bucket under a key in debt (below zero tokens), so that a
   * store which drops refilled buckets keeps this one until the debt is paid (the local store). This
   * default does nothing: a store over a {@link ProxyManager} keeps
   * the bucket's state there.
   */
  default void inDebt(String key) {}

  /**
   * Takes every charge, or none: returns null when all were taken, else the first that did not fit
   * (tokens taken before it are given back). A charge above its bucket's capacity is taken only from
   * a full bucket, which it leaves in debt, so the average rate still holds.
   *
   * <p>This default charges the buckets one after the other; a shared store overrides it to charge
   * them together, in one round trip.
   */
  default Shortfall chargeAll(List<Charge> charges) {
    for (int i = 0; i < charges.size(); i++) {
      Charge charge = charges.get(i);
      Bucket bucket = bucket(charge.key(), charge.configuration());
      long tokens = Math.min(charge.tokens(), charge.capacity());
      if (!bucket.tryConsume(tokens)) { // the wait is asked for only then: a probe is built per call
        for (int j = 0; j < i; j++) {
          Charge taken = charges.get(j);
          bucket(taken.key(), taken.configuration()).addTokens(taken.tokens());
        }
        long wait = bucket.estimateAbilityToConsume(tokens).getNanosToWaitForRefill();
        return new Shortfall(i, Math.max(1, wait));
      }
      if (charge.tokens() > charge.capacity()) {
        bucket.consumeIgnoringRateLimits(charge.tokens() - charge.capacity());
        inDebt(charge.key());
      }
    }
    return null;
  }

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
