package org.mailwarden.spring.mail;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.springframework.mail.MailSendException;

/**
 * A send that Mailwarden refused, as Spring's {@link MailSendException}: the refusal is the cause,
 * so {@code @ExceptionHandler(QuotaExceededException.class)} (which Spring MVC matches against
 * causes) and {@code ProblemDetail} handling work, and code that catches {@code MailSendException}
 * keeps working: {@link #getFailedMessages()} is what Spring reported.
 */
public class MailwardenMailSendException extends MailSendException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   * @param refusal Mailwarden's refusal, the cause
   * @param failedMessages the messages that failed with their exceptions, as Spring reports them
   */
  public MailwardenMailSendException(SendRefusedException refusal, Map<Object, Exception> failedMessages) {
    super("Mailwarden refused the message (" + refusal.getReason().code() + "): " + refusal.getMessage(), refusal,
        failedMessages);
  }

  /**
   * Returns Mailwarden's refusal.
   * @return the refusal, also the cause
   */
  public SendRefusedException getRefusal() {
    return (SendRefusedException) getCause();
  }

  /**
   * Returns why Mailwarden refused the message.
   * @return the reason
   */
  public RefusalReason getReason() {
    return getRefusal().getReason();
  }

  /**
   * Returns how long to wait before sending again, when a quota refused the message.
   * @return the wait, or empty when waiting would not help
   */
  public Optional<Duration> getRetryAfter() {
    return (getCause() instanceof QuotaExceededException quota) ? Optional.of(quota.getRetryAfter())
        : Optional.empty();
  }

}
