package org.mailwarden.spring.mail;

/**
 * Observes each send of a {@link MailwardenJavaMailSender}, for example as a Micrometer
 * {@code Observation}. Implementations must let the send's exception through unchanged.
 */
@FunctionalInterface
public interface MailwardenSendObserver {

  /** Observes nothing. */
  MailwardenSendObserver NONE = (app, send) -> send.run();

  /**
   * Runs one send call.
   * @param app the sender's application name ({@code mailwarden.app})
   * @param send the send; it throws Spring's {@code MailException} when it fails
   */
  void observe(String app, Runnable send);

}
