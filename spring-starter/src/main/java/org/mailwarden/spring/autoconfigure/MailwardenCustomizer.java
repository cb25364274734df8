package org.mailwarden.spring.autoconfigure;

import java.util.Properties;

/**
 * Callback to adjust the Jakarta Mail session properties of a {@code JavaMailSenderImpl} after
 * Mailwarden's auto-configuration applied {@code mailwarden.*} to them. Customizers run in
 * {@link org.springframework.core.Ordered order}, before the configuration is checked, so a value a
 * customizer sets is checked like one from a properties file.
 *
 * <p>Typical uses: a limit computed at start-up, or an object value such as a
 * {@link org.mailwarden.MailwardenListener} under {@code mail.mailwarden.listener} (listener beans
 * are registered without a customizer).
 */
@FunctionalInterface
public interface MailwardenCustomizer {

  /**
   * Customizes the session properties.
   * @param sessionProperties the sender's live session properties: {@code spring.mail.properties.*}
   * and every {@code mail.mailwarden.*} key; changes are seen by the session the sender creates
   */
  void customize(Properties sessionProperties);

}
