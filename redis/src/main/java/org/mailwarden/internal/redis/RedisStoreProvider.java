package org.mailwarden.internal.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.mailwarden.spi.StoreSettings;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.StoreContext;
import org.mailwarden.spi.StoreProvider;
import org.mailwarden.spi.StoreStatus;
import org.mailwarden.spi.SuppressionStore;

/**
 * The {@code redis} store: Bucket4j buckets through its Lettuce integration and the suppression list
 * as one Redis key per address. Found by {@link java.util.ServiceLoader}; public only for it.
 *
 * <p>Each Mailwarden environment has its own instance, holding its connections (one per URI or
 * client object) and its quota stores (one per distinct settings), and the event loops of the clients
 * it creates; {@link #close()} releases them.
 */
public final class RedisStoreProvider implements StoreProvider {
  /** One connection per URI (or client object). */
  private final Map<Object, SharedConnection> connections = new ConcurrentHashMap<>();
  /** One quota store per distinct settings; stores of equal settings share their buckets. */
  private final Map<StoreSettings, RedisQuotaStore> quotas = new ConcurrentHashMap<>();
  /** The event loops and timers of the clients created here, at the first one. */
  private ClientResources resources;
  private boolean closed;

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public QuotaStore quotaStore(StoreSettings settings, StoreContext context) {
    Objects.requireNonNull(settings, "settings");
    SharedConnection connection = connection(settings, context);
    connection.awaitReady(); // ready before the first send, or started at least
    return quotas.computeIfAbsent(settings, s -> new RedisQuotaStore(connection, s));
  }

  @Override
  public SuppressionStore suppressionStore(StoreSettings settings, String app, StoreContext context) {
    SharedConnection connection = connection(settings, context);
    connection.awaitReady();
    return new RedisSuppressionStore(connection, settings, app);
  }

  @Override
  public StoreStatus status(StoreSettings settings, StoreContext context) {
    long start = context.nanoTime();
    String detail;
    boolean ok;
    try {
      SharedConnection connection = connection(settings, context);
      if (connection.isStarting()) {
        return new StoreStatus(settings.describe(), false, Duration.ofNanos(context.nanoTime() - start),
            "starting: connecting to Redis and loading its script (redis.connect-timeout "
                + settings.connectTimeout().toMillis() + "ms)");
      }
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
    return new StoreStatus(settings.describe(), ok, Duration.ofNanos(context.nanoTime() - start), detail);
  }

  private SharedConnection connection(StoreSettings settings, StoreContext context) {
    Object target = settings.redisClient() != null ? new Identity(settings.redisClient()) : settings.redisUri();
    SharedConnection found = connections.get(target);
    return found != null ? found
        : connections.computeIfAbsent(target, t -> SharedConnection.create(settings, this::resources, context));
  }

  private synchronized ClientResources resources() {
    if (closed) {
      throw new IllegalStateException("this Redis store provider is closed");
    }
    if (resources == null) {
      resources = SharedConnection.resources();
    }
    return resources;
  }

  /** Closes the connections opened here, the clients created here and their event loops. */
  @Override
  public void close() {
    ClientResources opened;
    synchronized (this) {
      closed = true;
      opened = resources;
    }
    connections.values().forEach(SharedConnection::close);
    connections.clear();
    quotas.clear();
    if (opened != null) {
      opened.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
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
