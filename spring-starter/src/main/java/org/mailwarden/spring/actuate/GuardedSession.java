package org.mailwarden.spring.actuate;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import org.mailwarden.GuardedTransport;
import org.mailwarden.Mailwarden;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Read access to the Mailwarden state of a sender's session, through an unconnected
 * {@link GuardedTransport}: reading quotas and policies opens no SMTP connection.
 */
final class GuardedSession {

  private final JavaMailSenderImpl sender;

  private volatile GuardedTransport transport;

  GuardedSession(JavaMailSenderImpl sender) {
    this.sender = sender;
  }

  GuardedTransport transport() {
    GuardedTransport guarded = this.transport;
    if (guarded == null) {
      guarded = open(this.sender);
      this.transport = guarded;
    }
    return guarded;
  }

  private static GuardedTransport open(JavaMailSenderImpl sender) {
    try {
      Transport transport = sender.getSession().getTransport(Mailwarden.PROTOCOL);
      if (transport instanceof GuardedTransport guarded) {
        return guarded;
      }
      throw new IllegalStateException(
          "Protocol 'mailwarden' is provided by " + transport.getClass().getName() + ", not by Mailwarden");
    }
    catch (MessagingException ex) {
      throw new IllegalStateException("The mailwarden transport is not registered with Jakarta Mail", ex);
    }
  }

}
