package org.mailwarden.redis;

import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.Properties;
import org.mailwarden.Mailwarden;
import org.mailwarden.testing.Mails;

/**
 * Run in a separate JVM by {@link SharedRedisTest}: sends one message to a recipient that the server
 * refuses with {@code 550 5.1.1}, so this process learns to suppress it, then prints
 * {@code RESULT listed} when its own list shows the address.
 *
 * <p>Arguments: redis URI, smtp port, application name, recipient.
 */
public final class SuppressWorker {
  private SuppressWorker() {}

  public static void main(String[] args) throws Exception {
    Properties p = Mails.properties(Integer.parseInt(args[1]));
    p.put("mail.mailwarden.app", args[2]);
    p.put("mail.mailwarden.store", "redis");
    p.put("mail.mailwarden.redis.uri", args[0]);
    Session session = Session.getInstance(p);
    try {
      Transport.send(Mails.message(session, args[3]));
      System.out.println("RESULT sent");
    } catch (SendFailedException refused) {
      System.out.println("RESULT refused-by-server");
    }
    System.out.println("RESULT " + (Mailwarden.suppressions(session).find(args[3]).isPresent() ? "listed" : "not-listed"));
    System.out.flush();
    System.exit(0);
  }
}
