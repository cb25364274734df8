package org.mailwarden.testing;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import org.mailwarden.RecipientRejectedException;

/**
 * Run in a second JVM by tests of the file store: sends one message with the given suppression file
 * and prints {@code sent} or {@code refused <reason>...}.
 *
 * <p>Arguments: port, application name, suppression file, recipient.
 */
public final class SendOnce {
  private SendOnce() {}

  public static void main(String[] args) throws Exception {
    Session session = Mails.session(Mails.properties(Integer.parseInt(args[0]),
        "mail.mailwarden.app", args[1], "mail.mailwarden.suppression.file", args[2]));
    try {
      Transport.send(Mails.message(session, args[3]));
      System.out.println("sent");
    } catch (RecipientRejectedException e) {
      System.out.println("refused " + e.getRejections().get(0).reason().code());
    }
  }
}
