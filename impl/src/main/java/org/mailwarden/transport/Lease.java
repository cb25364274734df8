package org.mailwarden.transport;

import jakarta.mail.MessagingException;
import java.util.List;
import org.mailwarden.internal.Engine;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.DsnRequest;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.pool.ConnectionPool;
import org.mailwarden.internal.smtp.DsnSmtpTransport;

/**
 * The delegate connection a transport holds between {@code connect} and {@code close}, borrowed from
 * the engine's pool, and delivery on it: the last link of the chain. It is also what the policies
 * know of the connection. Used by one thread at a time, as its transport.
 */
final class Lease implements Policy.Connection {
  private final Engine engine;
  /** Null once a renewal failed: then this lease holds no connection. */
  private ConnectionPool.Connection connection;
  private boolean failed;
  private String server;

  private Lease(Engine engine, ConnectionPool.Connection connection) {
    this.engine = engine;
    this.connection = connection;
  }

  /**
   * Borrows a connected delegate, as {@link ConnectionPool#borrow} does.
   *
   * @throws MessagingException when connecting fails or no pooled connection became free in time
   */
  static Lease borrow(Engine engine, String host, int port, String user, String password)
      throws MessagingException {
    return new Lease(engine, engine.pool().borrow(host, port, user, password));
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
    if (connection == null) {
      throw new IllegalStateException("not connected");
    }
    if (connection.isExhausted()) {
      renew();
    }
    try {
      send(outgoing);
    } catch (MessagingException failure) {
      if (!connection.transport().droppedBeforeData(failure)) {
        failed = true;
        throw failure;
      }
      engine.listener().retrying(engine.config().app(), server(), failure);
      renew();
      try {
        send(outgoing);
      } catch (MessagingException again) {
        failed = true;
        again.addSuppressed(failure);
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
    connection = engine.pool().replace(old);
    failed = false;
  }
}
