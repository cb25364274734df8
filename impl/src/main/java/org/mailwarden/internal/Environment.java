package org.mailwarden.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.mail.Session;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.internal.policy.QuotaPolicy;
import org.mailwarden.internal.pool.ConnectionPool;
import org.mailwarden.internal.quota.LocalQuotaStore;
import org.mailwarden.internal.store.Stores;
import org.mailwarden.internal.suppression.Deliverability;
import org.mailwarden.internal.suppression.FileSuppressionStore;
import org.mailwarden.spi.StoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything Mailwarden shares between the sessions of one environment: time (a wall clock and a
 * monotonic ticker), the threads it starts (the write-timeout and pool-reaper executors), and the
 * registries of what must exist once (the engine of each session, the state of each application, the
 * local quota buckets, the open suppression files, the loaded store providers, the warnings already
 * given).
 *
 * <p>This class is the one holder of static mutable state in Mailwarden: Jakarta Mail instantiates
 * the transport reflectively for each {@code Transport.send}, so a {@linkplain #system() default
 * environment} must be reachable statically. Code that wants its own environment (tests with a fake
 * clock, an application that wants to release everything) creates one with {@link #create} and hands
 * it to a session as the object value of {@value #KEY}; it closes it when done.
 *
 * <p>Thread-safe.
 */
public final class Environment implements StoreContext, AutoCloseable {
  /** The session property whose object value is the environment of the session's engine. */
  public static final String KEY = "mail.mailwarden.environment";
  /** How many servers the "does not advertise DSN" warning remembers. */
  private static final int WARNINGS_KEPT = 1_000;
  private static final Logger log = LoggerFactory.getLogger(Environment.class);

  private static final Environment SYSTEM =
      new Environment(Clock.systemUTC(), Ticker.systemTicker(), TimeUnit.NANOSECONDS::sleep);

  private final Clock clock;
  private final Ticker ticker;
  private final QuotaPolicy.Sleeper sleeper;
  /**
   * Every send looks its session's engine up ({@code Transport.send} makes a new transport each
   * time): maintenance runs on the calling thread, as Caffeine's default hands it to the common
   * ForkJoinPool every few reads, a thread wake-up each time (BENCHMARKS.md). Keys are weak, so a
   * discarded session takes its engine with it.
   */
  private final Cache<Session, Engine> engines =
      Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
  private final ConcurrentMap<String, Deliverability> applications = new ConcurrentHashMap<>();
  private final ConcurrentMap<Path, FileSuppressionStore> files = new ConcurrentHashMap<>();
  private final Cache<String, Boolean> warned =
      Caffeine.newBuilder().maximumSize(WARNINGS_KEPT).executor(Runnable::run).build();
  private final LocalQuotaStore quotas;
  private final Stores stores;
  private final Object lock = new Object();
  private ScheduledExecutorService writeTimeouts;
  private ScheduledExecutorService reaper;
  private boolean closed;

  private Environment(Clock clock, Ticker ticker, QuotaPolicy.Sleeper sleeper) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.quotas = new LocalQuotaStore(ticker);
    this.stores = new Stores(this, quotas);
  }

  /** Returns the environment of every session that names none: the system clock, shared threads. */
  public static Environment system() {
    return SYSTEM;
  }

  /**
   * Returns a new environment on the given time sources; close it when its sessions are done.
   *
   * @param clock the wall clock (suppression entries, shared quota buckets)
   * @param ticker the monotonic time (quota buckets held in the JVM, timeouts, idle connections)
   */
  public static Environment create(Clock clock, Ticker ticker) {
    return new Environment(clock, ticker, TimeUnit.NANOSECONDS::sleep);
  }

  /**
   * Returns a new environment on the given time sources, whose waits (a send waiting for quota,
   * {@code limit.max-wait}) go through {@code sleeper}: a test with a fake clock advances it there.
   */
  public static Environment create(Clock clock, Ticker ticker, QuotaPolicy.Sleeper sleeper) {
    return new Environment(clock, ticker, sleeper);
  }

  /**
   * Returns the environment a session names with {@value #KEY}, or the {@linkplain #system() system
   * environment} when it names none.
   *
   * @throws MailwardenConfigurationException when the value is not an environment
   */
  public static Environment of(Session session) {
    Object given = session.getProperties().get(KEY);
    if (given == null) {
      return SYSTEM;
    }
    if (given instanceof Environment environment) {
      return environment;
    }
    if (given instanceof AtomicReference<?> owner) {
      return owned(owner);
    }
    throw new MailwardenConfigurationException(KEY, String.valueOf(given),
        "expected an " + Environment.class.getName() + " object, set in code");
  }

  /**
   * Returns the environment of a {@code Mailwarden} instance, which hands over the holder it keeps its
   * state in: made at the first use, closed by {@code Mailwarden.close()}.
   *
   * @throws IllegalStateException when the instance was closed before it was used
   */
  @SuppressWarnings("unchecked")
  private static Environment owned(AtomicReference<?> owner) {
    AtomicReference<Object> holder = (AtomicReference<Object>) owner;
    synchronized (holder) {
      Object current = holder.get();
      if (current == null) {
        Environment created = create(Clock.systemUTC(), Ticker.systemTicker());
        holder.set(created);
        return created;
      }
      if (current instanceof Environment environment) {
        return environment;
      }
      throw new IllegalStateException("this Mailwarden instance is closed");
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  /** Returns the monotonic time source. */
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public long nanoTime() {
    return ticker.read();
  }

  /** Returns how a send waits for quota: sleeping, or advancing a fake clock. */
  public QuotaPolicy.Sleeper sleeper() {
    return sleeper;
  }

  /** Returns the engine of a session, built by {@code create} at the first call. */
  Engine engine(Session session, Function<Session, Engine> create) {
    Engine engine = engines.getIfPresent(session);
    if (engine == null) {
      checkOpen();
      // built outside the cache's lock, so a bad configuration throws to the caller as it is
      engine = create.apply(session);
      Engine raced = engines.asMap().putIfAbsent(session, engine);
      if (raced != null) {
        engine = raced;
      }
    }
    return engine;
  }

  /** Returns the state of each application by name ({@code app}). */
  public ConcurrentMap<String, Deliverability> applications() {
    return applications;
  }

  /** Returns the suppression files open in this environment, by absolute normalized path. */
  public ConcurrentMap<Path, FileSuppressionStore> files() {
    return files;
  }

  /** Returns the quota buckets held in this JVM, shared by every application of the environment. */
  public LocalQuotaStore localQuotas() {
    return quotas;
  }

  /** Returns the store providers of this environment. */
  public Stores stores() {
    return stores;
  }

  /**
   * Counts the pooled connections of every session of this environment now (for gauges); cheap: no
   * connection is touched.
   */
  public PoolCounts poolCounts() {
    int idle = 0;
    int leased = 0;
    for (Engine engine : engines.asMap().values()) {
      ConnectionPool.Counts counts = engine.pool().counts();
      idle += counts.idle();
      leased += counts.leased();
    }
    return new PoolCounts(idle, leased);
  }

  /**
   * Pooled connections of an environment at one moment.
   *
   * @param idle open and waiting for a send
   * @param leased lent to a send (being opened included)
   */
  public record PoolCounts(int idle, int leased) {
    /** Returns the connections open or being opened: idle plus leased. */
    public int open() {
      return idle + leased;
    }
  }

  /**
   * Returns true the first time it is asked about a subject (a warning to log once), false after;
   * it remembers the last {@value #WARNINGS_KEPT} subjects.
   */
  public boolean firstTime(String subject) {
    return warned.asMap().putIfAbsent(subject, Boolean.TRUE) == null;
  }

  /**
   * Returns the one thread that times out socket writes of every delegate connection
   * ({@code mail.smtp.executor.writetimeout}), started at the first call.
   */
  public ScheduledExecutorService writeTimeouts() {
    synchronized (lock) {
      if (writeTimeouts == null) {
        checkOpen();
        writeTimeouts = writeTimeoutExecutor();
      }
      return writeTimeouts;
    }
  }

  /** Returns the one thread that closes idle pooled connections, started at the first call. */
  public ScheduledExecutorService reaper() {
    synchronized (lock) {
      if (reaper == null) {
        checkOpen();
        reaper = daemonExecutor("mailwarden-pool-reaper");
      }
      return reaper;
    }
  }

  /**
   * Stops the threads, closes the idle pooled connections, the connections of the store providers
   * and the suppression stores, and forgets every engine. Sessions of this environment must not be used afterwards. The
   * {@linkplain #system() system environment} cannot be closed.
   *
   * @throws IllegalStateException when called on the system environment
   */
  @Override
  public void close() {
    if (this == SYSTEM) {
      throw new IllegalStateException("the system environment lives as long as the JVM");
    }
    List<ScheduledExecutorService> executors = new ArrayList<>(2);
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (writeTimeouts != null) {
        executors.add(writeTimeouts);
      }
      if (reaper != null) {
        executors.add(reaper);
      }
    }
    for (Engine engine : List.copyOf(engines.asMap().values())) {
      engine.pool().closeIdle();
    }
    engines.invalidateAll();
    for (Map.Entry<String, Deliverability> application : applications.entrySet()) {
      if (applications.remove(application.getKey(), application.getValue())) {
        application.getValue().close();
      }
    }
    for (FileSuppressionStore file : List.copyOf(files.values())) {
      file.close();
    }
    stores.close();
    executors.forEach(ScheduledExecutorService::shutdownNow);
  }

  private void checkOpen() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("this Mailwarden environment is closed");
      }
    }
  }

  @Override
  public String toString() {
    return this == SYSTEM ? "Environment{system}" : "Environment{clock=" + clock + '}';
  }

  private static ScheduledExecutorService writeTimeoutExecutor() {
    ScheduledThreadPoolExecutor executor = daemonExecutor("mailwarden-write-timeout");
    // Angus schedules a timeout task per socket write and cancels it after. A task that becomes the
    // head of the queue wakes the executor's thread, so with an empty queue every write cost a thread
    // wake-up (most of the CPU of a pooled send, measured: BENCHMARKS.md). A no-op every second keeps
    // an earlier deadline at the head: write timeouts longer than a second no longer wake anything.
    executor.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
    return executor;
  }

  private static ScheduledThreadPoolExecutor daemonExecutor(String name) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName(name);
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> log.warn("{} failed", name, e));
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
