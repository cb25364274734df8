package org.mailwarden.transport;

import jakarta.mail.MessagingException;
import java.util.List;
import java.util.function.Consumer;
import org.mailwarden.internal.Engine;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.DsnRequest;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.pool.ConnectionPool;
import org.mailwarden.internal.smtp.DsnSmtpTransport;

/**
 * The delegate connection a transport holds between {@code connect} and {@code close}, borrowed from
 * the engine's pool (at once, or deferred until a message has passed the policies), and delivery on
 * it: the last link of the chain. It is also what the policies know of the connection. Used by one
 * thread at a time, as its transport; only {@link #abort()} comes from another (a send's deadline).
 */
final class Lease implements Policy.Connection {
  private final Engine engine;
  /** Where to connect, for a lease that borrows when the first message needs it; null otherwise. */
  private final Target target;
  private final Consumer<Lease> opened;
  /**
   * Null before a deferred borrow, and once a renewal failed: then this lease holds no connection.
   * Volatile, as a send's deadline closes it from the timer thread.
   */
  private volatile ConnectionPool.Connection connection;
  /** The delegate being connected for this lease, while it connects: a deadline may close it too. */
  private volatile DsnSmtpTransport connecting;
  /** The bound of the send in progress, or null. */
  private SendDeadline deadline;
  private boolean failed;
  private String server;
  /** The failure of the last deferred borrow, so the transport can pass it on as {@code connect} would. */
  private MessagingException connectFailure;

  private Lease(Engine engine, ConnectionPool.Connection connection, Target target, Consumer<Lease> opened) {
    this.engine = engine;
    this.connection = connection;
    this.target = target;
    this.opened = opened;
  }

  /** The four values given to {@code connect}. */
  private record Target(String host, int port, String user, String password) {}

  /**
   * Borrows a connected delegate, as {@link ConnectionPool#borrow} does.
   *
   * @throws MessagingException when connecting fails or no pooled connection became free in time
   */
  static Lease borrow(Engine engine, String host, int port, String user, String password)
      throws MessagingException {
    return new Lease(engine, engine.pool().borrow(host, port, user, password), null, l -> { });
  }

  /**
   * Returns a lease that borrows its connection only when a message needs it ({@link #open()}), so
   * that a message the policies refuse never opens one.
   *
   * @param opened told each time this lease borrowed a connection
   */
  static Lease deferred(Engine engine, String host, int port, String user, String password,
      Consumer<Lease> opened) {
    return new Lease(engine, null, new Target(host, port, user, password), opened);
  }

  /**
   * Borrows the connection of a deferred lease, if it holds none yet.
   *
   * @throws MessagingException when connecting fails, as {@link #borrow} throws it
   */
  @Override
  public void open() throws MessagingException {
    if (connection != null || target == null) {
      return;
    }
    checkDeadline(null);
    try {
      connection = engine.pool().borrow(target.host(), target.port(), target.user(), target.password(),
          t -> connecting = t);
    } catch (MessagingException e) {
      checkDeadline(e);
      connectFailure = e;
      throw e;
    } finally {
      connecting = null;
    }
    connectFailure = null;
    failed = false;
    server = null;
    checkDeadline(null);
    opened.accept(this);
  }

  /**
   * Bounds the sends that follow by a deadline ({@code send-timeout}); null for none. Delivery and
   * a deferred borrow fail with the deadline's {@link org.mailwarden.SendTimeoutException} once it
   * passed, and are not tried again.
   */
  void bound(SendDeadline sendDeadline) {
    this.deadline = sendDeadline;
  }

  /**
   * Closes the socket of the connection this lease holds or is connecting, from any thread: what the
   * send waits for fails at once. The connection is not pooled again.
   */
  void abort() {
    DsnSmtpTransport c = connecting;
    if (c != null) {
      c.abort();
    }
    ConnectionPool.Connection held = connection;
    if (held != null) {
      held.transport().abort();
    }
  }

  /** Marks the connection as not to be pooled again (its send was aborted, or may have been). */
  void discard() {
    failed = true;
  }

  /** Throws the deadline's failure, with {@code cause}, once it passed; the connection is discarded. */
  private void checkDeadline(MessagingException cause) throws MessagingException {
    if (deadline != null && deadline.expired()) {
      failed = true;
      throw deadline.failure(cause);
    }
  }

  /** Returns whether {@code failure} is what the last deferred borrow threw. */
  boolean failedToConnect(Throwable failure) {
    return failure != null && failure == connectFailure;
  }

  /** Returns whether this lease is deferred and holds no connection yet: nothing can have closed it. */
  boolean isPending() {
    return target != null && connection == null;
  }

  /** Returns whether a connection is held and its socket is open. */
  boolean isOpen() {
    return connection != null && connection.transport().isOpen();
  }

  /**
   * Returns the delegate transport.
   *
   * @throws IllegalStateException when no connection is held (a renewal failed)
   */
  DsnSmtpTransport transport() {
    if (connection == null) {
      throw new IllegalStateException("not connected");
    }
    return connection.transport();
  }

  @Override
  public String server() {
    if (server == null) {
      server = engine.serverName(transport().getURLName());
    }
    return server;
  }

  @Override
  public boolean supportsExtension(String extension) {
    return transport().supportsExtension(extension);
  }

  /**
   * The last link of the chain. A connection that carried {@code pool.max-messages-per-connection}
   * is replaced first. A send that lost its connection before the server answered DATA (so the server
   * cannot have accepted the message) is sent once more on a fresh connection, and the engine's
   * listener is told ({@code retrying}); any later failure, the final dot included, is passed on as
   * it is, so a message is never delivered twice. A connection that failed is not pooled again.
   */
  Delivered deliver(Outgoing outgoing) throws MessagingException {
    open();
    if (connection == null) {
      throw new IllegalStateException("not connected");
    }
    if (connection.isExhausted()) {
      renew();
    }
    try {
      send(outgoing);
    } catch (MessagingException failure) {
      checkDeadline(failure);
      if (!connection.transport().droppedBeforeData(failure)) {
        failed = true;
        throw failure;
      }
      engine.listener().retrying(engine.config().app(), server(), failure);
      renew();
      try {
        send(outgoing);
      } catch (MessagingException again) {
        again.addSuppressed(failure);
        checkDeadline(again);
        failed = true;
        throw again;
      }
    }
    return new Delivered(outgoing, outgoing.recipients(), List.of(), List.of());
  }

  /** Returns the connection to the pool, which closes it when it failed or pooling is off. */
  void release() {
    ConnectionPool.Connection c = connection;
    connection = null;
    if (c != null) {
      engine.pool().release(c, !failed);
    }
  }

  private void send(Outgoing outgoing) throws MessagingException {
    DsnSmtpTransport d = connection.transport();
    connection.countMessage();
    d.setDsn(outgoing.dsn());
    try {
      if (outgoing.tenant() == null) {
        d.sendMessage(outgoing.message(), outgoing.recipientArray());
      } else {
        TenantHeader.sendWithout(outgoing.message(), m -> d.sendMessage(m, outgoing.recipientArray()));
      }
    } finally {
      d.setDsn(DsnRequest.NONE);
    }
  }

  /** Replaces the connection with a fresh one; on failure this lease holds none. */
  private void renew() throws MessagingException {
    ConnectionPool.Connection old = connection;
    connection = null;
    server = null;
    try {
      connection = engine.pool().replace(old, t -> connecting = t);
    } catch (MessagingException e) {
      checkDeadline(e);
      throw e;
    } finally {
      connecting = null;
    }
    failed = false;
    checkDeadline(null);
  }
}
