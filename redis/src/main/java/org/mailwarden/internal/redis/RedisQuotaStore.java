package org.mailwarden.internal.redis;

import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.util.concurrent.CompletableFuture;
import org.mailwarden.internal.config.StoreSettings;
import org.mailwarden.internal.quota.LocalQuotaStore;
import org.mailwarden.internal.quota.QuotaStore;
import org.mailwarden.internal.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota buckets in Redis, through Bucket4j's Lettuce integration (compare-and-swap: a {@code GET} of
 * the bucket's state, then a Lua script that writes the new state only if nobody changed it; so every
 * operation on one bucket costs two round trips, more when processes race for the same bucket). The
 * quota logic ({@code QuotaPolicy}) is the same as for the local store: this class only decides
 * where each Bucket4j request runs.
 *
 * <p>Keys are {@code <redis.key-prefix>quota:<app>|<limit key>|<count>}; a bucket's key expires
 * once the bucket would have refilled completely (plus ten seconds), so idle applications leave
 * nothing behind. Every request is bounded by {@code redis.timeout} (Bucket4j's request timeout and
 * Lettuce's command timeout). When a request fails, {@code store.on-failure=refuse} throws
 * {@link StoreUnavailableException}; {@code local} runs the same request on a bucket held in this
 * JVM (a Caffeine-backed Bucket4j store), so the configured limits still hold per JVM while Redis is
 * down. Each request tries Redis first, so quotas are shared again as soon as it answers.
 */
final class RedisQuotaStore implements QuotaStore {
  private static final Logger log = LoggerFactory.getLogger(RedisQuotaStore.class);

  private final QuotaStore store;

  RedisQuotaStore(SharedConnection connection, StoreSettings settings) {
    this.store = QuotaStore.of(new Buckets(connection, settings));
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

  /** A Bucket4j store that runs each request on Redis, or on the local fallback when Redis fails. */
  private static final class Buckets extends AbstractProxyManager<String> {
    private final SharedConnection connection;
    private final StoreSettings settings;
    private final String prefix;
    private final CaffeineProxyManager<String> fallback;
    private volatile LettuceBasedProxyManager<String> redis;
    private volatile boolean failing;

    Buckets(SharedConnection connection, StoreSettings settings) {
      super(ClientSideConfig.getDefault());
      this.connection = connection;
      this.settings = settings;
      this.prefix = settings.keyPrefix() + "quota:";
      this.fallback = settings.onFailure() == StoreSettings.OnFailure.LOCAL
          ? Bucket4jCaffeine.<String>builderFor(Caffeine.newBuilder().maximumSize(LocalQuotaStore.MAX_BUCKETS))
              .expirationAfterWrite(ExpirationAfterWriteStrategy
                  .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
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
                .expirationAfterWrite(ExpirationAfterWriteStrategy
                    .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
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
      if (failing) {
        failing = false;
        log.info("quota store {} answers again; quotas are shared again", connection.describe());
      }
      return result;
    }

    private <T> T failed(RuntimeException e, java.util.function.Supplier<T> local) {
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
