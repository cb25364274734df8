package org.mailwarden.internal.pool;

import jakarta.mail.MessagingException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.mailwarden.internal.config.PoolSettings;
import org.mailwarden.internal.smtp.DsnSmtpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected delegate transports of one engine, kept open between sends. Connections are grouped by
 * {@link Key} (host, port, user and password as given to {@code connect}), so a connection that
 * authenticated as one user is never handed to another. Per key at most
 * {@link PoolSettings#maxConnections()} connections exist, leased and idle together; a borrower waits
 * at most {@link PoolSettings#maxWait()} for one to become free.
 *
 * <p>A returned connection is kept for reuse unless it failed, reached
 * {@link PoolSettings#maxMessagesPerConnection()} or the idle timeout is zero. The most recently
 * returned is reused first, so under light load the others expire. A connection idle for more than
 * {@value #CHECK_AFTER_IDLE_MILLIS} ms is checked with {@code NOOP} ({@code RSET} with
 * {@code mail.smtp.userset}) before reuse; one used a moment ago is not (a NOOP per message costs about
 * 14% of throughput). Idle connections past the idle timeout are closed by one shared daemon thread,
 * scheduled only while some connection is idle.
 *
 * <p>With pooling disabled every borrow opens a connection and every release closes it. Thread-safe.
 */
public final class ConnectionPool {
  /** Idle time after which a connection is checked with a round trip before reuse. */
  static final long CHECK_AFTER_IDLE_MILLIS = 1_000;

  private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

  /** Creates unconnected delegates. */
  @FunctionalInterface
  public interface Factory {
    DsnSmtpTransport create();
  }

  private final PoolSettings settings;
  private final Factory factory;
  private final LongSupplier nanoTime;
  private final Supplier<ScheduledExecutorService> reaper;
  private final long idleTimeoutNanos;
  private final long maxWaitNanos;
  private final ConcurrentHashMap<Key, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicBoolean reapScheduled = new AtomicBoolean();

  /**
   * Creates a pool.
   *
   * @param nanoTime the clock for idle times ({@code System::nanoTime}; a fake one in tests)
   * @param reaper the thread that closes idle connections, asked for when one is first needed
   */
  public ConnectionPool(PoolSettings settings, Factory factory, LongSupplier nanoTime,
      Supplier<ScheduledExecutorService> reaper) {
    this.reaper = Objects.requireNonNull(reaper, "reaper");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.idleTimeoutNanos = saturatedNanos(settings.idleTimeout());
    this.maxWaitNanos = saturatedNanos(settings.maxWait());
  }

  public PoolSettings settings() {
    return settings;
  }

  /**
   * Returns a connected delegate for the server and credentials: an idle one if a usable one is
   * there, else a new one. The caller must give it back with {@link #release} exactly once.
   *
   * @throws MessagingException when connecting fails, or no connection became free within
   *     {@code pool.max-wait} (the message names the keys)
   */
  public Connection borrow(String host, int port, String user, String password)
      throws MessagingException {
    return borrow(host, port, user, password, t -> { });
  }

  /**
   * Borrows as {@link #borrow(String, int, String, String)} does, and tells {@code opening} of a new
   * delegate before it connects (so that a send's deadline can abort a connect that hangs).
   */
  public Connection borrow(String host, int port, String user, String password,
      Consumer<DsnSmtpTransport> opening) throws MessagingException {
    Key key = new Key(host, port, user, password);
    if (!settings.enabled()) {
      return open(key, null, opening);
    }
    Slot slot = slots.computeIfAbsent(key, k -> new Slot(settings.maxConnections()));
    acquire(slot, key);
    try {
      Connection c;
      while ((c = slot.idle.pollFirst()) != null) {
        if (reusable(c)) {
          return c;
        }
        closeQuietly(c);
      }
      return open(key, slot, opening);
    } catch (MessagingException | RuntimeException e) {
      slot.permits.release();
      throw e;
    }
  }

  /**
   * Closes a leased connection and opens a fresh one in its place, for the same key and under the
   * same lease (the cap on connections is unchanged). On failure the lease is given up: the caller
   * holds no connection and must not release the old one.
   */
  public Connection replace(Connection old) throws MessagingException {
    return replace(old, t -> { });
  }

  /** Replaces as {@link #replace(Connection)} does, telling {@code opening} of the new delegate first. */
  public Connection replace(Connection old, Consumer<DsnSmtpTransport> opening) throws MessagingException {
    closeQuietly(old);
    try {
      return open(old.key, old.slot, opening);
    } catch (MessagingException | RuntimeException e) {
      if (old.slot != null) {
        old.slot.permits.release();
      }
      throw e;
    }
  }

  /**
   * Gives a leased connection back. It is kept for reuse when {@code reusable}, still open, under the
   * message cap and idle connections are kept at all; otherwise it is closed.
   */
  public void release(Connection c, boolean reusable) {
    Slot slot = c.slot;
    if (slot == null) {
      closeQuietly(c);
      return;
    }
    try {
      if (reusable && idleTimeoutNanos > 0 && c.transport.isOpen() && !c.isExhausted()) {
        c.idleSince = nanoTime.getAsLong();
        slot.idle.offerFirst(c);
        scheduleReap(idleTimeoutNanos);
      } else {
        closeQuietly(c);
      }
    } finally {
      slot.permits.release();
    }
  }

  /**
   * Counts the pooled connections now, for gauges: those lent to a send and those idle. Connections of
   * a disabled pool ({@code pool.enabled=false}) are not counted.
   */
  public Counts counts() {
    int idle = 0;
    int leased = 0;
    for (Slot slot : slots.values()) {
      idle += slot.idle.size();
      leased += settings.maxConnections() - slot.permits.availablePermits();
    }
    return new Counts(idle, leased);
  }

  /**
   * Pooled connections at one moment.
   *
   * @param idle open and waiting for a send
   * @param leased lent to a send (being opened included)
   */
  public record Counts(int idle, int leased) {
    /** Returns the connections open or being opened: idle plus leased. */
    public int open() {
      return idle + leased;
    }
  }

  /** Closes every idle connection now. */
  public void closeIdle() {
    for (Slot slot : slots.values()) {
      Connection c;
      while ((c = slot.idle.pollFirst()) != null) {
        closeQuietly(c);
      }
    }
  }

  /** Closes idle connections past the idle timeout; reschedules itself while any remain. */
  void reap() {
    reapScheduled.set(false);
    long now = nanoTime.getAsLong();
    long nextDue = Long.MAX_VALUE;
    for (Slot slot : slots.values()) {
      for (Connection c : slot.idle) {
        long left = idleTimeoutNanos - (now - c.idleSince);
        if (left <= 0) {
          if (slot.idle.removeFirstOccurrence(c)) {
            closeQuietly(c);
          }
        } else {
          nextDue = Math.min(nextDue, left);
        }
      }
    }
    if (nextDue != Long.MAX_VALUE) {
      scheduleReap(nextDue);
    }
  }

  private void scheduleReap(long delayNanos) {
    if (reapScheduled.compareAndSet(false, true)) {
      reaper.get().schedule(this::reap, delayNanos + TimeUnit.MILLISECONDS.toNanos(10),
          TimeUnit.NANOSECONDS);
    }
  }

  private boolean reusable(Connection c) {
    long idle = nanoTime.getAsLong() - c.idleSince;
    if (idle >= idleTimeoutNanos || c.isExhausted() || !c.transport.isOpen()) {
      return false;
    }
    if (idle >= TimeUnit.MILLISECONDS.toNanos(CHECK_AFTER_IDLE_MILLIS)) {
      // NOOP (or RSET): a server may have dropped a connection that sat idle
      boolean alive = c.transport.isConnected();
      if (!alive) {
        log.debug("discarding pooled connection to {}: no answer to NOOP after {} ms idle",
            c.key.server(), TimeUnit.NANOSECONDS.toMillis(idle));
      }
      return alive;
    }
    return true;
  }

  private void acquire(Slot slot, Key key) throws MessagingException {
    if (slot.permits.tryAcquire()) {
      return;
    }
    try {
      if (maxWaitNanos > 0 && slot.permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessagingException("interrupted while waiting for a free connection to " + key.server()
          + "; nothing was sent");
    }
    throw new MessagingException("no free connection to " + key.server() + " within "
        + settings.maxWait().toMillis() + " ms (mail.mailwarden.pool.max-wait): all "
        + settings.maxConnections() + " connections (mail.mailwarden.pool.max-connections) are in "
        + "use; nothing was sent. Raise either key, or return connections sooner (Transport.close)");
  }

  private Connection open(Key key, Slot slot, Consumer<DsnSmtpTransport> opening) throws MessagingException {
    DsnSmtpTransport t = factory.create();
    opening.accept(t);
    t.connect(key.host, key.port, key.user, key.password);
    return new Connection(key, slot, t, settings.maxMessagesPerConnection());
  }

  private static void closeQuietly(Connection c) {
    try {
      c.transport.close();
    } catch (MessagingException | RuntimeException e) {
      log.debug("closing a connection to {} failed; dropped", c.key.server(), e);
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** A connected delegate on loan from the pool. Used by one thread at a time. */
  public static final class Connection {
    private final Key key;
    private final Slot slot;
    private final DsnSmtpTransport transport;
    private final int maxMessages;
    private int messages;
    private volatile long idleSince;

    private Connection(Key key, Slot slot, DsnSmtpTransport transport, int maxMessages) {
      this.key = key;
      this.slot = slot;
      this.transport = transport;
      this.maxMessages = maxMessages;
    }

    public DsnSmtpTransport transport() {
      return transport;
    }

    /** Counts a message handed to this connection. */
    public void countMessage() {
      messages++;
    }

    /** Returns whether this connection has carried {@code pool.max-messages-per-connection}. */
    public boolean isExhausted() {
      return maxMessages > 0 && messages >= maxMessages;
    }
  }

  /** The connections of one key: a lease permit per allowed connection, and the idle ones. */
  private static final class Slot {
    final Semaphore permits;
    final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    Slot(int maxConnections) {
      this.permits = new Semaphore(maxConnections);
    }
  }

  /** What a connection was opened with; the password is compared, never printed. */
  private record Key(String host, int port, String user, String password) {
    String server() {
      return (host == null ? "(mail.smtp.host)" : host) + ":" + (port < 0 ? "(default port)" : port)
          + (user == null ? "" : " as " + user);
    }

    @Override
    public String toString() {
      return server();
    }
  }
}
