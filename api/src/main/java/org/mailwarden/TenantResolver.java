package org.mailwarden;

import jakarta.mail.Message;
import java.util.Optional;

/**
 * Finds the tenant of a message that does not name one ({@link Mailwarden#tenant(Message, String)},
 * the {@link Mailwarden#TENANT_HEADER} header): for example from the web request being served.
 * Register one under {@code mail.mailwarden.tenant.resolver} in the session properties, or, with the
 * Spring Boot starter, as a bean.
 *
 * <p>Called on the sending thread once per message, before any policy; it must be fast and should not
 * throw (a runtime exception fails the send). A name it returns must be a tenant name (see
 * {@link Mailwarden#checkTenant(String)}), or the message is refused as {@code unsupported-message}.
 */
@FunctionalInterface
public interface TenantResolver {
  /**
   * Returns the tenant of a message, or empty when it has none.
   *
   * @param message the message about to be sent, without a tenant of its own
   */
  Optional<String> tenantOf(Message message);
}
