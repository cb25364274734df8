package org.mailwarden.transport;

import jakarta.mail.Provider;

/**
 * Registers {@link MailwardenTransport} under the protocol {@code mailwarden} through
 * {@link java.util.ServiceLoader}, the third registration route of Jakarta Mail beside the
 * {@code META-INF/jakarta.providers} and {@code META-INF/javamail.providers} files.
 */
public final class MailwardenProvider extends Provider {
  /** Called by {@link java.util.ServiceLoader}. */
  public MailwardenProvider() {
    super(Type.TRANSPORT, "mailwarden", MailwardenTransport.class.getName(), "Mailwarden", null);
  }
}
