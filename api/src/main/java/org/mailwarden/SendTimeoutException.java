package org.mailwarden;

import jakarta.mail.MessagingException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A send did not end within {@code send-timeout}: Mailwarden stopped it, closed its connection (the
 * connection is never reused) and gives up. Like the other failures of the network (a server that
 * cannot be reached, a connection that drops), it is a {@link MessagingException}, not a refusal:
 * {@link #getCause()} is what the send was doing when time ran out, usually a socket closed under it.
 *
 * <p>When time ran out while waiting for the server's reply to the end of the message data, the
 * server may have accepted the message; at any earlier point it cannot have.
 */
public class SendTimeoutException extends MessagingException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final Duration timeout;

  /**
   * Creates the failure of a send that ran out of time.
   *
   * @param key the configuration key of the bound, without prefix ({@code send-timeout})
   * @param timeout the bound that passed, positive
   * @param cause what the send was doing when the bound passed, if known
   */
  public SendTimeoutException(String key, Duration timeout, @Nullable Exception cause) {
    super("the send did not end within " + Objects.requireNonNull(key, "key") + "="
        + Objects.requireNonNull(timeout, "timeout").toMillis() + "ms; its connection was closed", cause);
    this.key = key;
    this.timeout = timeout;
  }

  /** Returns the configuration key of the bound that passed: {@code send-timeout}. */
  public String getKey() {
    return key;
  }

  /** Returns the bound that passed. */
  public Duration getTimeout() {
    return timeout;
  }
}
