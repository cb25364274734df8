package org.mailwarden.spring.mail;

import jakarta.mail.internet.MimeMessage;
import java.util.LinkedHashMap;
import java.util.function.Supplier;
import org.mailwarden.SendRefusedException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Spring's {@link JavaMailSenderImpl} as the starter puts it behind Mailwarden: a send that Mailwarden
 * refuses throws a {@link MailwardenMailSendException} whose cause is the refusal (Spring's own
 * sender throws a {@code MailSendException} without a cause), and each send call is observed by the
 * {@link MailwardenSendObserver} (one observation per call; a batch of messages is one call).
 * Everything else is Spring's: the host, port and credentials still go to {@code connect}.
 */
public class MailwardenJavaMailSender extends JavaMailSenderImpl {

  private final Supplier<MailwardenSendObserver> observer;

  private volatile String app;

  private volatile MailwardenSendObserver resolved;

  /**
   * Creates a sender.
   * @param observer supplies the observer at the first send (so it may be a bean created later)
   */
  public MailwardenJavaMailSender(Supplier<MailwardenSendObserver> observer) {
    this.observer = observer;
  }

  /**
   * Sets the application name the observer labels sends with.
   * @param app {@code mailwarden.app} in effect
   */
  public void setApp(String app) {
    this.app = app;
  }

  @Override
  protected void doSend(MimeMessage[] mimeMessages, Object[] originalMessages) throws MailException {
    MailwardenSendObserver observe = this.resolved;
    if (observe == null) {
      MailwardenSendObserver supplied = this.observer.get();
      observe = (supplied != null) ? supplied : MailwardenSendObserver.NONE;
      this.resolved = observe;
    }
    observe.observe(this.app, () -> {
      try {
        super.doSend(mimeMessages, originalMessages);
      }
      catch (MailSendException ex) {
        throw translate(ex);
      }
    });
  }

  private static MailSendException translate(MailSendException ex) {
    if (ex instanceof MailwardenMailSendException) {
      return ex;
    }
    for (Exception failure : ex.getFailedMessages().values()) {
      if (failure instanceof SendRefusedException refusal) {
        return new MailwardenMailSendException(refusal, new LinkedHashMap<>(ex.getFailedMessages()));
      }
    }
    return ex;
  }

}
