package org.mailwarden.internal.redis;

import io.lettuce.core.RedisFuture;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.mailwarden.internal.config.StoreSettings;
import org.mailwarden.internal.quota.QuotaStore;
import org.mailwarden.internal.store.StoreProvider;
import org.mailwarden.internal.store.StoreStatus;
import org.mailwarden.internal.suppression.SuppressionStore;

/**
 * The {@code redis} store: Bucket4j buckets through its Lettuce integration and the suppression list
 * as one Redis key per address. Found by {@link java.util.ServiceLoader}; public only for it.
 */
public final class RedisStoreProvider implements StoreProvider {
  /** One connection per URI (or client object) in the JVM. */
  private static final Map<Object, SharedConnection> CONNECTIONS = new ConcurrentHashMap<>();
  /** One quota store per distinct settings; stores of equal settings share their buckets. */
  private static final Map<StoreSettings, RedisQuotaStore> QUOTAS = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public QuotaStore quotaStore(StoreSettings settings) {
    Objects.requireNonNull(settings, "settings");
    SharedConnection connection = connection(settings);
    return QUOTAS.computeIfAbsent(settings, s -> new RedisQuotaStore(connection, s));
  }

  @Override
  public SuppressionStore suppressionStore(StoreSettings settings, String app, Clock clock) {
    return new RedisSuppressionStore(connection(settings), settings, app, clock);
  }

  @Override
  public StoreStatus status(StoreSettings settings) {
    long start = System.nanoTime();
    String detail;
    boolean ok;
    try {
      SharedConnection connection = connection(settings);
      RedisFuture<String> pong = connection.get().async().ping();
      String answer = pong.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
      ok = "PONG".equalsIgnoreCase(answer);
      detail = ok ? "ok" : "unexpected answer to PING: " + answer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
      detail = "interrupted";
    } catch (Exception e) {
      ok = false;
      detail = SharedConnection.message(e);
    }
    return new StoreStatus(settings.describe(), ok, Duration.ofNanos(System.nanoTime() - start), detail);
  }

  private static SharedConnection connection(StoreSettings settings) {
    Object target = settings.redisClient() != null ? new Identity(settings.redisClient()) : settings.redisUri();
    return CONNECTIONS.computeIfAbsent(target, t -> SharedConnection.create(settings));
  }

  /** Keys a client object by identity, not by its equals. */
  private record Identity(Object object) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.object == object;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(object);
    }
  }
}
