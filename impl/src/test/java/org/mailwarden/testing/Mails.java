package org.mailwarden.testing;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import java.util.UUID;

/** Builders of sessions and messages for tests. */
public final class Mails {
  private Mails() {}

  /**
   * Returns the properties of DESIGN.md section 1 for a server on 127.0.0.1:port, with a fresh
   * application name so quotas of different tests never meet.
   */
  public static Properties properties(int port) {
    Properties p = new Properties();
    p.put("mail.transport.protocol.rfc822", "mailwarden");
    p.put("mail.transport.protocol", "mailwarden");
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.mailwarden.app", "test-" + UUID.randomUUID().toString().substring(0, 8));
    return p;
  }

  /**
   * Returns {@link #properties(int)} with more properties, key and value alternating, for example
   * {@code properties(port, "mail.mailwarden.recipients.deny-domains", "competitor.example")}.
   *
   * @throws IllegalArgumentException when a key has no value
   */
  public static Properties properties(int port, String... keyValues) {
    return put(properties(port), keyValues);
  }

  /**
   * Puts the properties, key and value alternating, and returns {@code p}.
   *
   * @throws IllegalArgumentException when a key has no value
   */
  public static Properties put(Properties p, String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values alternate: " + String.join(", ", keyValues));
    }
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  /** Returns a new session over the properties. */
  public static Session session(Properties properties) {
    return Session.getInstance(properties);
  }

  /**
   * Returns an address set exactly as given, without Jakarta Mail's parser (which would refuse or
   * rewrite a malformed one before Mailwarden sees it).
   */
  public static InternetAddress raw(String address) {
    InternetAddress a = new InternetAddress();
    a.setAddress(address);
    return a;
  }

  /** Returns a plain text message from sender@example.com to the given recipients. */
  public static MimeMessage message(Session session, String... to) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("sender@example.com"));
    for (String t : to) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
    }
    m.setSubject("Order confirmation");
    m.setText("Thank you for your order.");
    return m;
  }
}
