package org.mailwarden.internal.event;

import jakarta.mail.MessagingException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendReport;

/**
 * The events of an engine: those of {@link MailwardenListener}, which applications see, and a few
 * more that only Mailwarden's own listeners (logging) observe. Every method has a no-op default; like
 * every listener, an implementation must be fast and should not throw.
 */
public interface EngineListener extends MailwardenListener {
  /**
   * Delivery failed with an unchecked exception (a broken connection state, a bug); applications'
   * listeners are not told, as {@link #failed(SendReport, MessagingException)} takes a
   * {@link MessagingException}.
   */
  default void failedUnchecked(SendReport report, RuntimeException failure) {}

  /**
   * The connection to {@code server} was lost before the server answered the message data, so the
   * message is sent once more on a fresh connection.
   *
   * @param app the application name
   * @param server the server as {@code host:port}
   * @param failure what the lost connection threw
   */
  default void retrying(String app, String server, MessagingException failure) {}
}
