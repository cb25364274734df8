package org.mailwarden.examples.plain;

import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RecipientRejectedException;

/**
 * An ordinary Jakarta Mail program: it knows nothing of Mailwarden but its properties file. Usage:
 * {@code PlainJakartaMail <to> [host] [port]}; host and port override {@code mail.properties}.
 */
public final class PlainJakartaMail {
  private PlainJakartaMail() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: PlainJakartaMail <to> [host] [port]");
      System.exit(2);
    }
    Properties props = load();
    if (args.length > 1) {
      props.put("mail.smtp.host", args[1]);
    }
    if (args.length > 2) {
      props.put("mail.smtp.port", args[2]);
    }
    System.out.println(send(props, args[0]));
  }

  /** Sends one message with {@code Transport.send} and describes the outcome in one line. */
  public static String send(Properties props, String to) throws Exception {
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("orders@example.com"));
    message.setRecipients(Message.RecipientType.TO, to);
    message.setSubject("Your order has shipped");
    message.setText("Your parcel is on its way.");
    try {
      Transport.send(message);
      return "sent to " + to;
    } catch (QuotaExceededException e) {
      return "refused: " + e.getLimit() + ", retry after " + e.getRetryAfter().toSeconds() + " s";
    } catch (RecipientRejectedException e) {
      return "refused: " + e.getRejections().get(0).reason().code();
    } catch (SendFailedException e) {
      return "failed: " + e.getMessage();
    }
  }

  /** Loads {@code mail.properties} from the class path. */
  public static Properties load() throws IOException {
    Properties props = new Properties();
    try (InputStream in = PlainJakartaMail.class.getResourceAsStream("/mail.properties")) {
      props.load(in);
    }
    return props;
  }
}
