package org.mailwarden.internal.chain;

import jakarta.mail.MessagingException;
import java.util.Objects;

/**
 * Delivery, the last link of the chain, failed: carries the failure and the message as it reached
 * delivery, after every policy (recipients dropped, DSN parameters added), so that the transport can
 * report what was attempted. Thrown only inside the chain: a policy that looks at a delivery failure
 * catches this and reads {@link #failure()}; the transport passes {@link #failure()} on to the
 * application unchanged.
 */
public final class DeliveryFailedException extends MessagingException {
  private static final long serialVersionUID = 1L;

  private final transient Outgoing outgoing;
  private final Exception failure;

  /**
   * @param outgoing the message as it reached delivery
   * @param failure what delivery threw: a {@link MessagingException}, or an unchecked exception
   */
  public DeliveryFailedException(Outgoing outgoing, Exception failure) {
    super("delivery failed: " + Objects.requireNonNull(failure, "failure"), failure);
    this.outgoing = Objects.requireNonNull(outgoing, "outgoing");
    this.failure = failure;
  }

  /** Returns the message as it reached delivery. */
  public Outgoing outgoing() {
    return outgoing;
  }

  /** Returns what delivery threw, as the application is to see it. */
  public Exception failure() {
    return failure;
  }

  /** No stack trace: the failure carries its own, this is only its envelope through the chain. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
