package org.mailwarden.faults;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mailwarden.internal.smtp.DsnSmtpTransport;
import org.mailwarden.testing.Mails;

/**
 * What pipelining (RFC 2920) and chunking (RFC 3030) do to the dialogue, seen at the server: the
 * {@link ScriptedRelay} sends its replies only once it has read everything the client sent, so the
 * number of times it sends replies during one message is the number of round trips that message cost.
 * Each test sends a first message (connection, greeting, EHLO) and measures a second one on the kept
 * connection.
 */
class PipeliningTest {
  static final String ANN = "ann.one@example.com";
  static final String BOB = "bob.two@example.com";
  /** A body line that starts with a dot: DATA must dot-stuff it, BDAT must not. */
  static final String BODY = "Thank you for your order.\r\n.hidden line starting with a dot\r\nbye\r\n";

  private static Session session(ScriptedRelay relay, String... keysAndValues) {
    Properties p = Mails.properties(relay.port());
    p.put("mail.mailwarden.limit.recipients-per-second", "0");
    p.put("mail.mailwarden.suppression.store", "memory");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      p.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Mails.session(p);
  }

  private static MimeMessage message(Session session, String subject, String... to) throws MessagingException {
    MimeMessage m = Mails.message(session, to);
    m.setSubject(subject);
    m.setText(BODY);
    return m;
  }

  /** Sends a first message, then a second one, and returns the commands and round trips of the second. */
  private static Measured secondMessage(ScriptedRelay relay, String... to) throws Exception {
    return secondMessage(session(relay), relay, to);
  }

  private static Measured secondMessage(Session session, ScriptedRelay relay, String... to) throws Exception {
    Transport.send(message(session, "first", to));
    int commands = relay.commands().size();
    int flushes = relay.flushes();
    Transport.send(message(session, "second", to));
    assertThat(relay.sessions()).as("the connection was kept").isEqualTo(1);
    List<String> sent = relay.commands().subList(commands, relay.commands().size());
    // the pool checks a connection that sat idle (NOOP) before reusing it: on a busy machine the
    // second message can come late enough for that; the check is a round trip of its own, not the message's
    long checks = sent.stream().filter(c -> c.equals("NOOP") || c.equals("RSET")).count();
    return new Measured(sent.stream().filter(c -> !c.equals("NOOP") && !c.equals("RSET")).toList(),
        relay.flushes() - flushes - (int) checks, relay.messages());
  }

  record Measured(List<String> commands, int roundTrips, List<String> messages) {
    List<String> verbs() {
      return commands.stream().map(c -> c.split("[ :]")[0]).toList();
    }
  }

  @Test
  void withPipeliningAndChunkingAOneRecipientMessageOnAKeptConnectionCostsOneRoundTrip() throws Exception {
    try (ScriptedRelay relay = new ScriptedRelay().pipelining().chunking()) {
      Measured m = secondMessage(relay, ANN);
      assertThat(m.roundTrips()).isEqualTo(1);
      assertThat(m.verbs()).containsExactly("MAIL", "RCPT", "BDAT");
      assertThat(m.commands().get(0)).startsWith("MAIL FROM:<sender@example.com> RET=HDRS ENVID=");
      assertThat(m.commands().get(1)).isEqualTo("RCPT TO:<" + ANN + "> NOTIFY=FAILURE ORCPT=rfc822;" + ANN);
      assertThat(m.commands().get(2)).matches("BDAT \\d+ LAST");
      assertThat(m.messages()).hasSize(2);
      assertThat(m.messages().get(1)).as("BDAT data is not dot-stuffed")
          .contains("Subject: second\n").contains("\n.hidden line starting with a dot\n");
    }
  }

  @Test
  void withPipeliningAloneDataJoinsTheGroupAndTheMessageCostsTwoRoundTrips() throws Exception {
    try (ScriptedRelay relay = new ScriptedRelay().pipelining()) {
      Measured m = secondMessage(relay, ANN);
      assertThat(m.roundTrips()).isEqualTo(2);
      assertThat(m.verbs()).containsExactly("MAIL", "RCPT", "DATA");
      assertThat(m.messages().get(1)).contains("\n.hidden line starting with a dot\n");
    }
  }

  @Test
  void withSeveralRecipientsTheDataWaitsForTheirReplies() throws Exception {
    try (ScriptedRelay relay = new ScriptedRelay().pipelining().chunking()) {
      Measured m = secondMessage(relay, ANN, BOB);
      assertThat(m.roundTrips()).as("MAIL+RCPT+RCPT, then BDAT").isEqualTo(2);
      assertThat(m.verbs()).containsExactly("MAIL", "RCPT", "RCPT", "BDAT");
    }
  }

  @Test
  void withoutPipeliningAdvertisedTheDialogueIsTodays() throws Exception {
    try (ScriptedRelay relay = new ScriptedRelay().chunking()) {
      Measured m = secondMessage(relay, ANN, BOB);
      assertThat(m.roundTrips()).as("MAIL, RCPT, RCPT, DATA, the final dot").isEqualTo(5);
      assertThat(m.verbs()).containsExactly("MAIL", "RCPT", "RCPT", "DATA");
      assertThat(m.messages().get(1)).contains("\n.hidden line starting with a dot\n");
    }
  }

  @Test
  void poolPipeliningFalseGivesASessionTodaysDialogue() throws Exception {
    try (ScriptedRelay relay = new ScriptedRelay().pipelining().chunking()) {
      Measured m = secondMessage(session(relay, "mail.mailwarden.pool.pipelining", "false"), relay, ANN);
      assertThat(m.verbs()).containsExactly("MAIL", "RCPT", "DATA");
      assertThat(m.roundTrips()).as("MAIL, RCPT, DATA, the final dot").isEqualTo(4);
    }
  }

  @Test
  void withPipeliningTurnedOffTheDialogueIsTodays() throws Exception {
    try (ScriptedRelay relay = new ScriptedRelay().pipelining().chunking()) {
      Properties p = new Properties();
      p.put("mail.smtp.host", "127.0.0.1");
      p.put("mail.smtp.port", Integer.toString(relay.port()));
      Session session = Session.getInstance(p);
      DsnSmtpTransport t = new DsnSmtpTransport(session, new URLName("smtp", null, -1, null, null, null), "smtp",
          false, false);
      t.connect();
      try {
        Address[] to = {new InternetAddress(ANN)};
        t.sendMessage(message(session, "first", ANN), to);
        int commands = relay.commands().size();
        int flushes = relay.flushes();
        t.sendMessage(message(session, "second", ANN), to);
        List<String> sent = relay.commands().subList(commands, relay.commands().size());
        assertThat(sent.stream().map(c -> c.split("[ :]")[0])).containsExactly("MAIL", "RCPT", "DATA");
        assertThat(relay.flushes() - flushes).isEqualTo(4);
      } finally {
        t.close();
      }
    }
  }
}
