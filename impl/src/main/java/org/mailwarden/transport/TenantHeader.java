package org.mailwarden.transport;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.mailwarden.Mailwarden;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.internal.util.Text;

/**
 * The tenant header ({@link Mailwarden#TENANT_HEADER}): read when a send starts, and kept off the
 * wire while the message is written.
 */
final class TenantHeader {
  private TenantHeader() {}

  /**
   * Returns the tenant a message carries, else the one the resolver finds, or null.
   *
   * @param resolver the {@code tenant.resolver}, or null
   * @throws SendRefusedException ({@code unsupported-message}) when the header or the resolver gives
   *     no tenant name, or the header several different ones
   */
  static String of(Message message, org.mailwarden.TenantResolver resolver) throws MessagingException {
    String[] values = message.getHeader(Mailwarden.TENANT_HEADER);
    if (values == null || values.length == 0) {
      if (resolver == null) {
        return null;
      }
      String resolved = resolver.tenantOf(message).orElse(null);
      if (resolved == null) {
        return null;
      }
      try {
        return Mailwarden.checkTenant(resolved);
      } catch (IllegalArgumentException e) {
        throw refusal(Text.escape(e.getMessage()) + " (from the tenant.resolver)");
      }
    }
    String tenant = values[0].trim();
    for (String other : values) {
      if (!other.trim().equals(tenant)) {
        throw refusal("the message carries several tenants in " + Mailwarden.TENANT_HEADER);
      }
    }
    try {
      return Mailwarden.checkTenant(tenant);
    } catch (IllegalArgumentException e) {
      throw refusal(Text.escape(e.getMessage()) + " (header " + Mailwarden.TENANT_HEADER + ")");
    }
  }

  private static SendRefusedException refusal(String why) {
    return new SendRefusedException(RefusalReason.UNSUPPORTED_MESSAGE, why + "; nothing was sent", null);
  }

  /** Writes a message, in {@link Sending#send}, without its tenant header. */
  @FunctionalInterface
  interface Sending {
    void send(Message message) throws MessagingException;
  }

  /**
   * Sends a message without its tenant header: the header is taken out while the message is written
   * and put back afterwards, so the application's message is as it was; a message that cannot be
   * changed (of a read-only folder) is sent as a copy without it.
   */
  static void sendWithout(Message message, Sending sending) throws MessagingException {
    String[] values = message.getHeader(Mailwarden.TENANT_HEADER);
    if (values == null) {
      sending.send(message);
      return;
    }
    try {
      message.removeHeader(Mailwarden.TENANT_HEADER);
    } catch (MessagingException | IllegalStateException readOnly) {
      MimeMessage copy = new MimeMessage((MimeMessage) message);
      copy.removeHeader(Mailwarden.TENANT_HEADER);
      sending.send(copy);
      return;
    }
    try {
      sending.send(message);
    } finally {
      for (String value : values) {
        message.addHeader(Mailwarden.TENANT_HEADER, value);
      }
    }
  }
}
