package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenListener;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.suppression.Reputation;
import org.mailwarden.testing.LogCapture;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/** The exact sequence of events an application's listener sees for each kind of send. */
class ListenerEventsTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  /** Writes each event as one line: its name and what identifies it. */
  static final class Recorder implements MailwardenListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void connected(String app, String server, boolean dsnSupported) {
      events.add("connected " + server + (dsnSupported ? " dsn" : " no-dsn"));
    }

    @Override
    public void sent(SendReport report) {
      events.add("sent " + report.accepted());
    }

    @Override
    public void refused(SendReport report, SendRefusedException refusal) {
      events.add("refused " + refusal.getReason().code() + " accepted=" + report.accepted());
    }

    @Override
    public void failed(SendReport report, MessagingException failure) {
      events.add("failed " + failure.getClass().getSimpleName() + " unsent=" + report.unsent().size()
          + " refusedByServer=" + report.refusedByServer().size());
    }

    @Override
    public void bounced(SendReport original, BouncedRecipient bounce) {
      events.add("bounced " + bounce.recipient() + " of " + original.accepted());
    }

    @Override
    public void reputationChanged(Reputation reputation) {
      events.add("reputation " + reputation.state().code());
    }
  }

  /** Throws from every event. */
  static final class Thrower implements MailwardenListener {
    int calls;

    @Override
    public void connected(String app, String server, boolean dsnSupported) {
      calls++;
      throw new IllegalStateException("connected");
    }

    @Override
    public void sent(SendReport report) {
      calls++;
      throw new IllegalStateException("sent");
    }

    @Override
    public void refused(SendReport report, SendRefusedException refusal) {
      calls++;
      throw new IllegalStateException("refused");
    }
  }

  private final Recorder recorder = new Recorder();

  private Properties properties(int port) {
    Properties p = Mails.properties(port);
    p.put("mail.mailwarden.listener", recorder);
    return p;
  }

  private String greenMailServer() {
    return "127.0.0.1:" + greenMail.getSmtp().getPort();
  }

  @Test
  void aDeliveredSendIsConnectedThenSent() throws Exception {
    Transport.send(Mails.message(Mails.session(properties(greenMail.getSmtp().getPort())), "a@example.com"));

    assertThat(recorder.events).containsExactly("connected " + greenMailServer() + " no-dsn",
        "sent [a@example.com]");
  }

  @Test
  void aRefusedSendIsRefusedWithoutConnectingAndNothingElse() throws Exception {
    Properties p = properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.recipients.deny-domains", "competitor.example");
    Session session = Mails.session(p);

    assertThatThrownBy(() -> Transport.send(Mails.message(session, "boss@competitor.example")))
        .isInstanceOf(RecipientRejectedException.class);

    assertThat(recorder.events).containsExactly("refused recipients-rejected accepted=[]");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void aSendWithADroppedRecipientIsConnectedThenRefusedWithWhatWasAccepted() throws Exception {
    Properties p = properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.recipients.deny-domains", "competitor.example");
    p.put("mail.mailwarden.recipients.on-invalid", "drop-recipient");
    Session session = Mails.session(p);

    assertThatThrownBy(() -> Transport.send(Mails.message(session, "a@example.com", "boss@competitor.example")))
        .isInstanceOf(RecipientRejectedException.class);

    assertThat(recorder.events).containsExactly("connected " + greenMailServer() + " no-dsn",
        "refused recipients-rejected accepted=[a@example.com]");
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aSendTheServerRefusesIsConnectedThenFailed() throws Exception {
    try (SmtpSink sink = SmtpSink.start("-f", "RCPT")) {
      Session session = Mails.session(properties(sink.port()));

      assertThatThrownBy(() -> Transport.send(Mails.message(session, "a@example.com")))
          .isInstanceOf(SendFailedException.class);

      assertThat(recorder.events).containsExactly("connected 127.0.0.1:" + sink.port() + " dsn",
          "failed SendFailedException unsent=0 refusedByServer=1");
    }
  }

  @Test
  void aBounceOfASendChangesTheReputationThenReachesTheListenerWithTheOriginalSend() throws Exception {
    Properties p = properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.store", "memory");
    p.put("mail.mailwarden.reputation.min-sends", "1");
    Session session = Mails.session(p);
    SendReport sent = Mailwarden.send(Mails.message(session, "a@example.com"));

    Mailwarden.suppressions(session).record(new BouncedRecipient("a@example.com", "failed", "5.1.1", 550,
        "no such user", BounceReason.USERUNKNOWN, true, null, sent.messageId().orElseThrow(), null));
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "b@example.com")))
        .isInstanceOf(SendRefusedException.class);

    assertThat(recorder.events).containsExactly(
        "connected " + greenMailServer() + " no-dsn",
        "sent [a@example.com]",
        "reputation paused",
        "bounced a@example.com of [a@example.com]",
        "refused paused accepted=[]");
  }

  @Test
  void aListenerThatThrowsNeitherStopsTheOthersNorTheSendAndIsLogged() throws Exception {
    Thrower thrower = new Thrower();
    Properties p = properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.listener", List.of(thrower, recorder));
    p.put("mail.mailwarden.limit.messages-per-minute", "1");
    Session session = Mails.session(p);

    try (LogCapture logs = new LogCapture()) {
      Transport.send(Mails.message(session, "a@example.com"));
      assertThatThrownBy(() -> Transport.send(Mails.message(session, "b@example.com")))
          .isInstanceOf(SendRefusedException.class);

      assertThat(thrower.calls).isEqualTo(3);
      assertThat(recorder.events).containsExactly(
          "connected " + greenMailServer() + " no-dsn", "sent [a@example.com]",
          "refused quota-exceeded accepted=[]");
      assertThat(logs.messages(Level.WARN)).filteredOn(m -> m.contains("A MailwardenListener threw"))
          .hasSize(3);
      assertThat(logs.messages(Level.INFO)).anySatisfy(m -> assertThat(m).endsWith("refused a message: quota-exceeded"));
    }
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }
}
