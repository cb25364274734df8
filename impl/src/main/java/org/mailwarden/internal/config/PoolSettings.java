package org.mailwarden.internal.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The connection pool keys ({@code mail.mailwarden.pool.*}), parsed; the defaults are those of {@link Keys}.
 *
 * @param enabled whether connections are pooled ({@code pool.enabled}, default true); when false each
 *     {@code connect()} opens a connection and {@code close()} closes it
 * @param maxConnections the most connections open at once per server and credentials
 *     ({@code pool.max-connections}, default 4), leased and idle together
 * @param maxMessagesPerConnection the most messages sent on one connection before it is closed and a
 *     fresh one opened ({@code pool.max-messages-per-connection}, default 100);
 *     0 means no cap
 * @param idleTimeout how long an unused connection stays open for reuse ({@code pool.idle-timeout},
 *     default 30s); 0 closes a connection as soon as it is returned
 * @param maxWait how long {@code connect()} waits for a free connection when all are in use
 *     ({@code pool.max-wait}, default 10s); 0 fails at once
 */
public record PoolSettings(boolean enabled, int maxConnections, int maxMessagesPerConnection,
    Duration idleTimeout, Duration maxWait) {
  public static final int DEFAULT_MAX_CONNECTIONS = Keys.POOL_MAX_CONNECTIONS.defaultValue();
  public static final int DEFAULT_MAX_MESSAGES = Keys.POOL_MAX_MESSAGES.defaultValue();
  public static final Duration DEFAULT_IDLE_TIMEOUT = Keys.POOL_IDLE_TIMEOUT.defaultValue();
  public static final Duration DEFAULT_MAX_WAIT = Keys.POOL_MAX_WAIT.defaultValue();

  public PoolSettings {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
    }
    if (maxMessagesPerConnection < 0) {
      throw new IllegalArgumentException("maxMessagesPerConnection must not be negative");
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(maxWait, "maxWait");
  }

  /** Returns the defaults of every key. */
  public static PoolSettings defaults() {
    return new PoolSettings(Keys.POOL_ENABLED.defaultValue(), DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_MESSAGES, DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MAX_WAIT);
  }
}
