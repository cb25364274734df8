package org.mailwarden.internal.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.spi.StoreContext;
import org.mailwarden.spi.StoreSettings;
import org.mailwarden.spi.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce connection to one Redis (one URI, or one client object given in code), shared by every
 * session and store of one provider (one per Mailwarden environment). Commands are multiplexed over it, as Lettuce intends.
 *
 * <p>The connection is opened at the first use, not at start-up, so an application whose Redis is
 * down at start still starts (its sends are refused or fall back). One thread connects at a time;
 * the others wait for it (at most the timeout, or {@value #FIRST_CONNECT_WAIT_MILLIS} ms, whichever
 * is longer: a cold JVM spends that loading and starting the client) and share its result, and a failed connect is retried
 * by the next use after {@value #RETRY_MILLIS} ms. Once connected, Lettuce reconnects by itself (backing off up to one second); while it is
 * disconnected commands are rejected at once rather than buffered, so nothing waits for a Redis that
 * is gone.
 */
final class SharedConnection {
  private static final Logger log = LoggerFactory.getLogger(SharedConnection.class);
  static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /**
   * Returns new event loops and timers for the clients a provider creates (shut down when it is
   * closed): reconnects back off from 10 ms up to a second.
   */
  static ClientResources resources() {
    return DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /** A failed connect is not retried sooner than this (milliseconds). */
  static final long RETRY_MILLIS = 100;
  /** The shortest a thread waits for another one's connect (milliseconds). */
  static final long FIRST_CONNECT_WAIT_MILLIS = 2000;

  private final RedisClient client;
  /** Whether the client is ours (created from a URI), to shut down on {@link #close}. */
  private final boolean own;
  private final StoreContext context;
  private final String describe;
  private final Duration timeout;
  private volatile StoreUnavailableException lastFailure;
  private volatile long lastFailureNanos;
  private final ReentrantLock connecting = new ReentrantLock();
  private volatile StatefulRedisConnection<String, byte[]> connection;

  private SharedConnection(RedisClient client, boolean own, StoreContext context, String describe,
      Duration timeout) {
    this.client = client;
    this.own = own;
    this.context = context;
    this.describe = describe;
    this.timeout = timeout;
  }

  /**
   * Creates the connection of settings that name a URI (a client of our own, on the given resources)
   * or a client object.
   */
  static SharedConnection create(StoreSettings settings, java.util.function.Supplier<ClientResources> resources,
      StoreContext context) {
    if (settings.redisClient() != null) {
      if (!(settings.redisClient() instanceof RedisClient given)) {
        throw new MailwardenConfigurationException(Mailwarden.PREFIX + "redis.client",
            settings.redisClient().getClass().getName(), "expected an io.lettuce.core.RedisClient");
      }
      // the application's client and options: our per-call timeouts still bound every call
      return new SharedConnection(given, false, context, settings.describe(), settings.timeout());
    }
    RedisURI uri;
    try {
      uri = RedisURI.create(settings.redisUri());
    } catch (IllegalArgumentException e) {
      throw new MailwardenConfigurationException(Mailwarden.PREFIX + "redis.uri",
          settings.redisUri(), "not a Redis URI: " + e.getMessage());
    }
    Duration timeout = settings.timeout();
    uri.setTimeout(timeout);
    RedisClient client = RedisClient.create(resources.get(), uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .build());
    return new SharedConnection(client, true, context, settings.describe(), timeout);
  }

  /** Closes the connection, and the client when it is ours; an application's client stays open. */
  void close() {
    connecting.lock();
    try {
      StatefulRedisConnection<String, byte[]> c = connection;
      connection = null;
      if (c != null) {
        c.close();
      }
      if (own) {
        client.shutdown(Duration.ZERO, timeout);
      }
    } finally {
      connecting.unlock();
    }
  }

  /**
   * Returns the connection, opening it at the first call.
   *
   * @throws StoreUnavailableException when Redis cannot be reached now
   */
  StatefulRedisConnection<String, byte[]> get() {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (c != null) {
      return c;
    }
    try {
      long wait = Math.max(timeout.toMillis(), FIRST_CONNECT_WAIT_MILLIS);
      if (!connecting.tryLock(wait, TimeUnit.MILLISECONDS)) {
        throw new StoreUnavailableException("still connecting to " + describe + " after " + wait + "ms", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while connecting to " + describe, e);
    }
    try {
      c = connection;
      if (c == null) {
        StoreUnavailableException failed = lastFailure;
        if (failed != null && context.nanoTime() - lastFailureNanos < TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS)) {
          throw failed;
        }
        try {
          c = client.connect(CODEC);
        } catch (RuntimeException e) {
          failed = new StoreUnavailableException("cannot connect to " + describe + ": " + message(e), e);
          lastFailure = failed;
          lastFailureNanos = context.nanoTime();
          throw failed;
        }
        lastFailure = null;
        connection = c;
        log.info("connected to {}", describe);
      }
      return c;
    } finally {
      connecting.unlock();
    }
  }

  String describe() {
    return describe;
  }

  /** Returns the monotonic time of the store's context, the time deadlines are set in. */
  long nanoTime() {
    return context.nanoTime();
  }

  /** Returns the wall clock of the store's context. */
  java.time.Clock clock() {
    return context.clock();
  }

  /**
   * Waits for a command's answer until a deadline ({@link #nanoTime()}); a command that does
   * not answer by then is cancelled.
   *
   * @throws StoreUnavailableException when it fails, does not answer in time, or the wait is interrupted
   */
  <T> T await(RedisFuture<T> future, long deadlineNanos) {
    try {
      return future.get(Math.max(0, deadlineNanos - context.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new StoreUnavailableException("interrupted while waiting for " + describe, e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new StoreUnavailableException("no answer from " + describe + " within " + timeout.toMillis() + "ms", e);
    } catch (ExecutionException e) {
      throw new StoreUnavailableException(message(e.getCause()), e.getCause());
    }
  }

  static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null
        || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
