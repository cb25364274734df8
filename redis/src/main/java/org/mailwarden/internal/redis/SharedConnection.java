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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 * <p>Connecting is apart from commands: it runs on a thread of its own, bounded by
 * {@code redis.connect-timeout}, and includes loading the charge script, so the first send finds a
 * connection ready and {@code redis.timeout} bounds commands only. It starts when the store is built
 * (the engine waits for it, at most the connect timeout), so an application whose Redis answers
 * starts with it ready, and one whose Redis is down still starts (its sends are refused or fall back,
 * and the health check reports the store as starting while a connect is under way). A use that finds
 * no connection starts a connect if none is under way and the last one failed more than
 * {@value #RETRY_MILLIS} ms ago, and waits for it at most {@code redis.timeout}. Once connected,
 * Lettuce reconnects by itself (backing off up to 250 ms); while it is disconnected commands are
 * rejected at once rather than buffered, so nothing waits for a Redis that is gone. A command that
 * gets no answer in half of {@code redis.timeout} on a connection that is still open is sent once
 * more, and the first answer of the two is taken, within {@code redis.timeout}.
 */
final class SharedConnection {
  private static final Logger log = LoggerFactory.getLogger(SharedConnection.class);
  static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /**
   * Returns new event loops and timers for the clients a provider creates (shut down when it is
   * closed): reconnects back off from 10 ms up to 250 ms, so that sends succeed again within a
   * quarter of a second of Redis answering (a reconnect to a Redis that is down costs next to nothing).
   */
  static ClientResources resources() {
    return DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(250), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /** A failed connect is not retried sooner than this (milliseconds). */
  static final long RETRY_MILLIS = 100;

  private final RedisClient client;
  /** Whether the client is ours (created from a URI), to shut down on {@link #close}. */
  private final boolean own;
  private final StoreContext context;
  private final String describe;
  private final Duration timeout;
  private final Duration connectTimeout;
  private volatile StoreUnavailableException lastFailure;
  private volatile long lastFailureNanos;
  private final ReentrantLock connecting = new ReentrantLock();
  private volatile StatefulRedisConnection<String, byte[]> connection;
  /** The connect under way, or null. Guarded by {@link #connecting}. */
  private CompletableFuture<StatefulRedisConnection<String, byte[]>> pending;
  private boolean closed;

  private SharedConnection(RedisClient client, boolean own, StoreContext context, String describe,
      Duration timeout, Duration connectTimeout) {
    this.client = client;
    this.own = own;
    this.context = context;
    this.describe = describe;
    this.timeout = timeout;
    this.connectTimeout = connectTimeout;
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
      return new SharedConnection(given, false, context, settings.describe(), settings.timeout(),
          settings.connectTimeout());
    }
    RedisURI uri;
    try {
      uri = RedisURI.create(settings.redisUri());
    } catch (IllegalArgumentException e) {
      throw new MailwardenConfigurationException(Mailwarden.PREFIX + "redis.uri",
          settings.redisUri(), "not a Redis URI: " + e.getMessage());
    }
    Duration timeout = settings.timeout();
    // the URI's timeout bounds the handshake of a connect; commands have their own (timeoutOptions)
    uri.setTimeout(settings.connectTimeout());
    RedisClient client = RedisClient.create(resources.get(), uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .build());
    return new SharedConnection(client, true, context, settings.describe(), timeout, settings.connectTimeout());
  }

  /** Closes the connection, and the client when it is ours; an application's client stays open. */
  void close() {
    connecting.lock();
    try {
      closed = true;
      if (pending != null) {
        pending.cancel(false);
        pending = null;
      }
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
   * Returns the connection, connecting if there is none (see the class description).
   *
   * @throws StoreUnavailableException when Redis cannot be reached now, or the connect under way did
   *     not end within {@code redis.timeout}
   */
  StatefulRedisConnection<String, byte[]> get() {
    StatefulRedisConnection<String, byte[]> c = connection;
    return c != null ? c : await(connect(), timeout, "still connecting to " + describe);
  }

  /**
   * Connects now if there is no connection, and waits for it at most {@code redis.connect-timeout}:
   * called when a store is built, so that the first send finds Redis ready. Never throws: an
   * application whose Redis is down starts all the same.
   *
   * @return whether the connection is ready
   */
  boolean awaitReady() {
    if (connection != null) {
      return true;
    }
    try {
      await(connect(), connectTimeout, "still connecting to " + describe);
      return true;
    } catch (StoreUnavailableException e) {
      log.warn("{} is not ready after {}ms (redis.connect-timeout): {}; sends follow store.on-failure "
          + "until it is", describe, connectTimeout.toMillis(), e.getMessage());
      return false;
    }
  }

  /** Returns whether a connect is under way and nothing is connected yet: the store is starting. */
  boolean isStarting() {
    if (connection != null) {
      return false;
    }
    connecting.lock();
    try {
      return pending != null && !pending.isDone();
    } finally {
      connecting.unlock();
    }
  }

  /**
   * Returns the connect under way, or starts one on a thread of its own (connect, then load the
   * script), or fails at once with the last failure when it is younger than {@value #RETRY_MILLIS} ms.
   */
  private CompletableFuture<StatefulRedisConnection<String, byte[]>> connect() {
    connecting.lock();
    try {
      StatefulRedisConnection<String, byte[]> c = connection;
      if (c != null) {
        return CompletableFuture.completedFuture(c);
      }
      if (closed) {
        return CompletableFuture.failedFuture(new StoreUnavailableException(describe + " is closed", null));
      }
      if (pending != null) {
        return pending;
      }
      StoreUnavailableException failed = lastFailure;
      if (failed != null && context.nanoTime() - lastFailureNanos < TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS)) {
        return CompletableFuture.failedFuture(failed);
      }
      CompletableFuture<StatefulRedisConnection<String, byte[]>> started = new CompletableFuture<>();
      pending = started;
      Thread thread = new Thread(() -> open(started), "mailwarden-redis-connect");
      thread.setDaemon(true);
      thread.start();
      return started;
    } finally {
      connecting.unlock();
    }
  }

  /** Connects and loads the script, on the connect thread; then publishes the connection. */
  private void open(CompletableFuture<StatefulRedisConnection<String, byte[]>> result) {
    long start = context.nanoTime();
    StatefulRedisConnection<String, byte[]> c = null;
    try {
      c = client.connect(CODEC);
      // Redis keeps loaded scripts until it restarts; after a restart EVALSHA falls back to EVAL
      c.async().scriptLoad(ChargeScript.SCRIPT.getBytes(StandardCharsets.UTF_8))
          .get(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (c != null) {
        c.closeAsync();
      }
      StoreUnavailableException failed = new StoreUnavailableException("cannot connect to " + describe
          + ": " + message(e), e);
      connecting.lock();
      try {
        lastFailure = failed;
        lastFailureNanos = context.nanoTime();
        pending = null;
      } finally {
        connecting.unlock();
      }
      result.completeExceptionally(failed);
      return;
    }
    connecting.lock();
    try {
      pending = null;
      if (closed) {
        c.closeAsync();
        result.completeExceptionally(new StoreUnavailableException(describe + " is closed", null));
        return;
      }
      lastFailure = null;
      connection = c;
    } finally {
      connecting.unlock();
    }
    log.info("connected to {} and loaded its script in {}ms", describe,
        TimeUnit.NANOSECONDS.toMillis(context.nanoTime() - start));
    result.complete(c);
  }

  private static StatefulRedisConnection<String, byte[]> await(
      CompletableFuture<StatefulRedisConnection<String, byte[]>> connect, Duration wait, String late) {
    try {
      return connect.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while connecting", e);
    } catch (TimeoutException e) {
      throw new StoreUnavailableException(late + " after " + wait.toMillis() + "ms", null);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StoreUnavailableException s ? s
          : new StoreUnavailableException(message(e.getCause()), e.getCause());
    } catch (java.util.concurrent.CancellationException e) {
      throw new StoreUnavailableException("connecting was cancelled (the store is closed)", e);
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
   * Sends a command and waits for its answer until a deadline ({@link #nanoTime()}). When half the
   * time left passes without an answer and the connection is still open (the answer is late, not
   * lost with the connection), the command is sent once more, and the answer of the first is taken
   * if it came, else the second's: replies on one connection come in order, so when the second
   * answered, the first did before it, unless it was lost. A command without an answer by the
   * deadline is cancelled. Only for commands that may run twice: reads, writes of one value, and the
   * charge script, whose compare-and-swap writes nothing the second time.
   *
   * @throws StoreUnavailableException when it fails, does not answer in time, or the wait is interrupted
   */
  <T> T await(java.util.function.Supplier<RedisFuture<T>> command, long deadlineNanos) {
    return await(command.get(), command, deadlineNanos);
  }

  /** Waits as {@link #await(java.util.function.Supplier, long)} does for a command already sent. */
  <T> T await(RedisFuture<T> first, java.util.function.Supplier<RedisFuture<T>> again, long deadlineNanos) {
    long half = Math.max(0, (deadlineNanos - context.nanoTime()) / 2);
    try {
      return first.get(half, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      first.cancel(true);
      throw new StoreUnavailableException("interrupted while waiting for " + describe, e);
    } catch (TimeoutException e) {
      StatefulRedisConnection<String, byte[]> c = connection;
      if (c == null || !c.isOpen()) {
        first.cancel(true);
        throw new StoreUnavailableException("no answer from " + describe + " within " + timeout.toMillis()
            + "ms and the connection is lost", e);
      }
    } catch (ExecutionException e) {
      throw new StoreUnavailableException(message(e.getCause()), e.getCause());
    }
    RedisFuture<T> second = again.get();
    try {
      T answer = second.get(Math.max(0, deadlineNanos - context.nanoTime()), TimeUnit.NANOSECONDS);
      if (first.isDone() && !first.isCancelled()) {
        try {
          return first.get();
        } catch (ExecutionException lost) {
          return answer;
        }
      }
      return answer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      first.cancel(true);
      second.cancel(true);
      throw new StoreUnavailableException("interrupted while waiting for " + describe, e);
    } catch (TimeoutException e) {
      first.cancel(true);
      second.cancel(true);
      throw new StoreUnavailableException("no answer from " + describe + " within " + timeout.toMillis()
          + "ms (sent twice)", e);
    } catch (ExecutionException e) {
      first.cancel(true);
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
