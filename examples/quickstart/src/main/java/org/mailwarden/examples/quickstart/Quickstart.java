package org.mailwarden.examples.quickstart;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintStream;
import java.util.Properties;
import org.mailwarden.GuardedTransport;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;

/**
 * Mailwarden in one minute: an embedded SMTP server (GreenMail), a plain Jakarta Mail session that
 * routes {@code Transport.send} through Mailwarden by properties alone, and a handful of messages:
 * some sent, some refused, each with the reason.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the walk-through, printing to {@code out}; returns how many messages the server received. */
  public static int run(PrintStream out) throws Exception {
    GreenMail server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
    try {
      int port = server.getSmtp().getPort();
      Properties props = new Properties();
      // DESIGN.md section 1: Transport.send now passes through Mailwarden
      props.put("mail.transport.protocol.rfc822", "mailwarden");
      props.put("mail.transport.protocol", "mailwarden");
      // the real SMTP transport underneath is configured exactly as before
      props.put("mail.smtp.host", "127.0.0.1");
      props.put("mail.smtp.port", Integer.toString(port));
      // the policies
      props.put("mail.mailwarden.app", "quickstart");
      props.put("mail.mailwarden.limit.messages-per-minute", "3");
      props.put("mail.mailwarden.recipients.deny-domains", "competitor.example");
      Session session = Session.getInstance(props);

      out.println("Mailwarden quickstart: embedded SMTP server on 127.0.0.1:" + port);
      out.println("Policies: app=quickstart, limit.messages-per-minute=3,"
          + " recipients.deny-domains=competitor.example; defaults: dsn.notify=FAILURE, dsn.ret=HDRS,"
          + " dsn.envid=true, recipients.syntax=strict");
      out.println();

      send(out, session, 1, "jane@example.com");
      send(out, session, 2, "boss@competitor.example");
      send(out, session, 3, "joe@localhost");
      send(out, session, 4, "victim@example.com>\r\nRCPT TO:<everyone@example.org");
      send(out, session, 5, "ann@example.org");
      send(out, session, 6, "bob@example.net");
      send(out, session, 7, "carol@example.com");

      int received = server.getReceivedMessages().length;
      out.println();
      out.println("The server received " + received + " messages; every other send was refused"
          + " before a byte of it was written.");
      out.println("DSN: this embedded server does not advertise DSN (Mailwarden logged one warning),"
          + " so Angus Mail leaves the parameters off. Against a relay that advertises DSN, such as"
          + " Postfix, every message carries RET=HDRS and a fresh ENVID on MAIL FROM and NOTIFY=FAILURE"
          + " on each RCPT TO; SendReport.envelopeId() returns that ENVID.");
      return received;
    } finally {
      server.stop();
    }
  }

  private static void send(PrintStream out, Session session, int n, String to) throws Exception {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("shop@example.com"));
    message.setSubject("Your order #" + (1000 + n));
    message.setText("Thank you for your order.");
    InternetAddress recipient = new InternetAddress();
    recipient.setAddress(to); // unparsed, exactly as a web form might hand it over
    message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress("customer@example.com"));
    String shown = to.replace("\r", "\\r").replace("\n", "\\n");
    Transport transport = session.getTransport();
    transport.connect();
    try {
      transport.sendMessage(message, new Address[] {recipient});
      SendReport report = ((GuardedTransport) transport).lastReport().orElseThrow();
      out.printf("%d. %-52s SENT     accepted=%s, DSN on the wire: %s%n", n, shown,
          report.accepted(), report.dsnParameters().orElse("none (server has no DSN)"));
    } catch (QuotaExceededException e) {
      out.printf("%d. %-52s REFUSED  %s: %s, retry after %d s%n", n, shown, e.getReason().code(),
          e.getLimit(), Math.max(1, e.getRetryAfter().toSeconds()));
    } catch (RecipientRejectedException e) {
      for (RejectedRecipient r : e.getRejections()) {
        out.printf("%d. %-52s REFUSED  %s (%s)%n", n, shown, r.reason().code(), r.detail());
      }
    } catch (SendRefusedException e) {
      out.printf("%d. %-52s REFUSED  %s: %s%n", n, shown, e.getReason().code(), e.getMessage());
    } catch (MessagingException e) {
      out.printf("%d. %-52s FAILED   %s%n", n, shown, e.getMessage());
    } finally {
      transport.close();
    }
  }
}
