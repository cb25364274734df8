package org.mailwarden.redis;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.SendRefusedException;
import org.mailwarden.testing.Mails;

/**
 * Run in separate JVMs by {@link ColdStartTest}: an application as a new user writes it, with no
 * warm-up. It sends {@code count} messages with {@code Transport.send}, one after the other, as soon as
 * it starts, and prints one {@code RESULT} line per send ({@code RESULT sent},
 * {@code RESULT quota <retry-after millis>} or {@code RESULT other <what>}), then
 * {@code WINDOW <first> <last>} (epoch millis of the first send's start and the last one's end).
 *
 * <p>Arguments: redis URI, smtp port, application name, messages-per-minute, count.
 */
public final class ColdStartWorker {
  private ColdStartWorker() {}

  public static void main(String[] args) throws Exception {
    Properties p = Mails.properties(Integer.parseInt(args[1]));
    p.put("mail.mailwarden.app", args[2]);
    p.put("mail.mailwarden.store", "redis");
    p.put("mail.mailwarden.redis.uri", args[0]);
    p.put("mail.mailwarden.limit.messages-per-minute", args[3]);
    p.put("mail.mailwarden.limit.recipients-per-second", "0");
    p.put("mail.mailwarden.limit.recipients-per-day", "0");
    Session session = Session.getInstance(p);
    int count = Integer.parseInt(args[4]);
    List<String> results = new ArrayList<>(count);
    long first = System.currentTimeMillis();
    for (int i = 0; i < count; i++) {
      try {
        MimeMessage m = Mails.message(session, "user" + i + "@example.com");
        Transport.send(m);
        results.add("sent");
      } catch (QuotaExceededException e) {
        results.add("quota " + e.getRetryAfter().toMillis());
      } catch (SendRefusedException e) {
        results.add("other " + e.getReason().code() + " " + e.getMessage());
      } catch (Throwable e) {
        results.add("other " + e.toString().replace('\n', ' '));
      }
    }
    long last = System.currentTimeMillis();
    for (String r : results) {
      System.out.println("RESULT " + r);
    }
    System.out.println("WINDOW " + first + " " + last);
    System.out.flush();
    System.exit(0);
  }
}
