package org.mailwarden.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The parsed {@code store}, {@code store.on-failure} and {@code redis.*} keys: where quotas and the
 * suppression list live when they are shared between processes. See docs/redis.md.
 *
 * @param name {@code local} (this JVM only) or the name of a store provider, such as {@code redis}
 * @param redisUri the Redis URI ({@code redis.uri}), or null when a client object is given or the
 *     store is local
 * @param redisClient a client object put into the properties in code ({@code redis.client}, for
 *     example the Lettuce {@code RedisClient} of a Spring application), or null
 * @param keyPrefix the prefix of every key written to the shared store ({@code redis.key-prefix})
 * @param timeout the bound on every call to the shared store ({@code redis.timeout})
 * @param onFailure what a send does while the shared store does not answer
 * @param connectTimeout the bound on connecting to the shared store and making it ready (loading
 *     scripts), apart from the calls {@code timeout} bounds ({@code redis.connect-timeout})
 */
public record StoreSettings(String name, String redisUri, Object redisClient, String keyPrefix,
    Duration timeout, OnFailure onFailure, Duration connectTimeout) {
  /** The default of {@code redis.connect-timeout}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);


  /** What a send does while the shared store is unreachable ({@code store.on-failure}). */
  public enum OnFailure {
    /** Refuse the send with {@code RefusalReason.STORE_UNAVAILABLE}. */
    REFUSE,
    /** Use limits and a suppression list held in this JVM until the store answers again. */
    LOCAL
  }

  public StoreSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onFailure, "onFailure");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
  }

  /** Settings with the default {@code connect-timeout} (5 s). */
  public StoreSettings(String name, String redisUri, Object redisClient, String keyPrefix,
      Duration timeout, OnFailure onFailure) {
    this(name, redisUri, redisClient, keyPrefix, timeout, onFailure, DEFAULT_CONNECT_TIMEOUT);
  }

  /** Returns whether quotas and the suppression list are shared through a store outside the JVM. */
  public boolean isShared() {
    return !name.equals("local");
  }

  /** Names the store for messages and logs, without credentials: {@code redis at 127.0.0.1:6379/0}. */
  public String describe() {
    if (!isShared()) {
      return "local";
    }
    if (redisUri == null) {
      return name + " (client " + (redisClient == null ? "none" : redisClient.getClass().getSimpleName()) + ")";
    }
    try {
      java.net.URI u = java.net.URI.create(redisUri);
      String where = (u.getHost() == null ? "" : u.getHost()) + (u.getPort() < 0 ? "" : ":" + u.getPort())
          + (u.getPath() == null ? "" : u.getPath());
      return name + " at " + where;
    } catch (IllegalArgumentException e) {
      return name;
    }
  }

  @Override
  public String toString() {
    return "StoreSettings{" + describe() + ", keyPrefix=" + keyPrefix + ", timeout=" + timeout
        + ", onFailure=" + onFailure + ", connectTimeout=" + connectTimeout + '}';
  }
}
