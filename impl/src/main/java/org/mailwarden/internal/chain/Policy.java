package org.mailwarden.internal.chain;

import jakarta.mail.MessagingException;

/**
 * One link of the send path. A policy sees the outgoing message, and either refuses it by throwing a
 * {@link org.mailwarden.SendRefusedException}, or calls {@link Chain#proceed(Outgoing)} exactly once,
 * possibly with a changed message (a recipient dropped, DSN parameters added), and may observe the
 * result. Delivery is the last link, put there by the transport.
 */
public interface Policy {
  /** Returns a short name for messages and logs, for example {@code "quota"}. */
  String name();

  /**
   * Applies this policy.
   *
   * @return the result of delivery, as returned by {@code chain.proceed}
   * @throws MessagingException a refusal, or a delivery failure passed on from the chain
   */
  Delivered intercept(Chain chain) throws MessagingException;

  /** The rest of the chain, as seen by one policy. */
  interface Chain {
    /** Returns the message as it reached this policy. */
    Outgoing outgoing();

    /** Returns what is known of the connection: the server and its extensions. */
    Connection connection();

    /**
     * Passes the message to the next link and returns the delivery result. A policy calls this at
     * most once; the chain names a policy that calls it twice, returns null, or returns a result
     * without calling it ({@link IllegalStateException}).
     *
     * @throws DeliveryFailedException when delivery failed: the server's failure, with the message as
     *     it reached delivery
     * @throws MessagingException a refusal by a later policy
     */
    Delivered proceed(Outgoing outgoing) throws MessagingException;
  }

  /**
   * What a policy may know about the connection to the server. A transport borrows its connection
   * only for a message that got this far: a policy that needs to know the server calls {@link #open()}
   * first, as the last link before delivery, so that every other policy decides before the network.
   */
  interface Connection {
    /**
     * Makes sure a connection is held, borrowing one now if the transport deferred it. Does nothing
     * when one is held already.
     *
     * @throws MessagingException when connecting fails: the failure is the one {@code connect} throws
     */
    default void open() throws MessagingException {
    }

    /** Returns {@code host:port} of the server, for logs and per-server state. */
    String server();

    /** Returns whether the server advertised the ESMTP extension (for example {@code "DSN"}). */
    boolean supportsExtension(String extension);
  }
}
