package org.mailwarden.internal.redis;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.caffeine.Bucket4jCaffeine;
import io.github.bucket4j.caffeine.CaffeineProxyManager;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AbstractProxyManager;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.Request;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mailwarden.spi.StoreSettings;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota buckets in Redis, as Bucket4j's Lettuce integration keeps them. A send's charges go to Redis
 * together in one round trip ({@link ChargeScript}: Bucket4j's arithmetic here, one compare-and-swap
 * of all the send's buckets there); reading a bucket ({@code quotaUsage()}, health, metrics) goes
 * through Bucket4j's Lettuce proxy manager, which reads and writes the same keys in the same format.
 *
 * <p>Keys are {@code <redis.key-prefix>quota:<app>|<limit key>|<count>}; a bucket's key expires
 * once the bucket would have refilled completely (plus ten seconds), so idle applications leave
 * nothing behind. Every call is bounded by {@code redis.timeout}. When one fails,
 * {@code store.on-failure=refuse} throws {@link StoreUnavailableException}; {@code local} charges
 * buckets held in this JVM instead (a Caffeine-backed Bucket4j store), so the configured limits still
 * hold per JVM while Redis is down. Each call tries Redis first, so quotas are shared again as soon
 * as it answers.
 */
final class RedisQuotaStore implements QuotaStore {
  private static final Logger log = LoggerFactory.getLogger(RedisQuotaStore.class);
  /** A bucket's key lives until the bucket would be full again, plus ten seconds. */
  private static final ExpirationAfterWriteStrategy EXPIRATION =
      ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10));

  private static final String[] NO_GUARDS = {};
  /** The most buckets held in this JVM (states seen, local fallback), as many as the local store keeps. */
  static final int MAX_BUCKETS = 100_000;

  private final SharedConnection connection;
  private final Buckets buckets;
  private final QuotaStore store;
  private final ChargeScript script;
  private final QuotaStore fallback;

  RedisQuotaStore(SharedConnection connection, StoreSettings settings) {
    this.connection = connection;
    this.buckets = new Buckets(connection, settings);
    this.store = QuotaStore.of(buckets);
    this.script = new ChargeScript(connection, settings, buckets.prefix, EXPIRATION);
    this.fallback = buckets.fallback == null ? null : QuotaStore.of(buckets.fallback);
  }

  /** Charges a send's buckets in one round trip ({@link ChargeScript}), or on the local fallback. */
  @Override
  public Shortfall chargeAll(List<Charge> charges) {
    return chargeUnlessListed(charges, NO_GUARDS, ChargeScript.Result::shortfall, () -> chargeLocally(charges));
  }

  /**
   * Charges a send's buckets in one round trip, but only when none of the guard keys (the
   * recipients' suppression entries) is present; see {@link ChargeScript}.
   *
   * @param answer maps the script's result
   * @param local answers instead when Redis fails and {@code store.on-failure=local}
   * @throws StoreUnavailableException when Redis fails and {@code store.on-failure=refuse}
   */
  <T> T chargeUnlessListed(List<Charge> charges, String[] guards, Function<ChargeScript.Result, T> answer,
      Supplier<T> local) {
    ChargeScript.Result result;
    try {
      result = script.chargeAll(charges, guards);
    } catch (RuntimeException e) {
      return buckets.failed(e, local);
    }
    buckets.answered();
    return answer.apply(result);
  }

  /** Charges the buckets held in this JVM while Redis fails ({@code store.on-failure=local}). */
  Shortfall chargeLocally(List<Charge> charges) {
    return fallback.chargeAll(charges);
  }

  /** Returns whether this store talks to Redis over that connection. */
  boolean uses(SharedConnection other) {
    return connection == other;
  }

  @Override
  public io.github.bucket4j.Bucket bucket(String key,
      java.util.function.Supplier<io.github.bucket4j.BucketConfiguration> configuration) {
    return store.bucket(key, configuration);
  }

  @Override
  public boolean holds(String key) {
    return store.holds(key);
  }

  /**
   * Bucket4j's clock for buckets that several processes share: the store's wall clock, in
   * milliseconds as Bucket4j's default for compare-and-swap stores ({@link ChargeScript} reads it
   * the same way).
   */
  static TimeMeter wallClock(SharedConnection connection) {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return connection.clock().millis() * 1_000_000L;
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }

  /** A Bucket4j store that runs each request on Redis, or on the local fallback when Redis fails. */
  private static final class Buckets extends AbstractProxyManager<String> {
    private final SharedConnection connection;
    private final StoreSettings settings;
    final String prefix;
    final CaffeineProxyManager<String> fallback;
    private volatile LettuceBasedProxyManager<String> redis;
    private volatile boolean failing;

    Buckets(SharedConnection connection, StoreSettings settings) {
      super(ClientSideConfig.getDefault().withClientClock(wallClock(connection)));
      this.connection = connection;
      this.settings = settings;
      this.prefix = settings.keyPrefix() + "quota:";
      this.fallback = settings.onFailure() == StoreSettings.OnFailure.LOCAL
          ? Bucket4jCaffeine.<String>builderFor(Caffeine.newBuilder().maximumSize(MAX_BUCKETS))
              .expirationAfterWrite(ExpirationAfterWriteStrategy
                  .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
              .clientClock(wallClock(connection))
              .build()
          : null;
    }

    private LettuceBasedProxyManager<String> redis() {
      LettuceBasedProxyManager<String> r = redis;
      if (r == null) {
        StatefulRedisConnection<String, byte[]> c = connection.get();
        synchronized (this) {
          r = redis;
          if (r == null) {
            r = Bucket4jLettuce.casBasedBuilder(c)
                .requestTimeout(settings.timeout())
                .expirationAfterWrite(EXPIRATION)
                .clientClock(wallClock(connection))
                .build();
            redis = r;
          }
        }
      }
      return r;
    }

    @Override
    public <T> CommandResult<T> execute(String key, Request<T> request) {
      CommandResult<T> result;
      try {
        result = redis().execute(prefix + key, request);
      } catch (RuntimeException e) {
        return failed(e, () -> fallback.execute(key, request));
      }
      answered();
      return result;
    }

    void answered() {
      if (failing) {
        failing = false;
        log.info("quota store {} answers again; quotas are shared again", connection.describe());
      }
    }

    <T> T failed(RuntimeException e, Supplier<T> local) {
      String what = "quota request to " + connection.describe() + " failed within "
          + settings.timeout().toMillis() + "ms: " + SharedConnection.message(e);
      if (!failing) {
        failing = true;
        log.warn("{}; {}", what, fallback == null ? "sends are refused until it answers"
            : "using limits held in this JVM until it answers");
      }
      if (fallback == null) {
        throw e instanceof StoreUnavailableException s ? s : new StoreUnavailableException(what, e);
      }
      return local.get();
    }

    /**
     * Buckets with Bucket4j's batching optimization: concurrent requests of this JVM to one bucket
     * are combined into one request, so at most one compare-and-swap per bucket and JVM is in
     * flight. Fewer processes race for a key, and fewer round trips are lost to retries.
     */
    @Override
    public RemoteBucketBuilder<String> builder() {
      return super.builder().withOptimization(Optimizations.batching());
    }

    @Override
    public boolean isAsyncModeSupported() {
      return false;
    }

    @Override
    protected <T> CompletableFuture<CommandResult<T>> executeAsync(String key, Request<T> request) {
      throw new UnsupportedOperationException("Mailwarden's Redis quota store is synchronous");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
      throw new UnsupportedOperationException("Mailwarden's Redis quota store is synchronous");
    }

    @Override
    public void removeProxy(String key) {
      try {
        redis().removeProxy(prefix + key);
      } catch (RuntimeException e) {
        failed(e, () -> null);
      }
      if (fallback != null) {
        fallback.removeProxy(key);
      }
    }
  }
}
