package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import ch.qos.logback.classic.Level;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.testing.LogCapture;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;
import org.mailwarden.testing.SmtpSink.Dumped;

/** Pooled delegate connections behind connect()/close(), observed at the server (smtp-sink -v). */
class ConnectionPoolingTest {
  private SmtpSink sink;

  @AfterEach
  void stop() throws Exception {
    if (sink != null) {
      sink.close();
    }
  }

  private Properties properties(String... keyValues) {
    // the default quota (14 recipients a second) is not what these tests are about
    Properties p = Mails.properties(sink.port(), "mail.mailwarden.limit.recipients-per-second", "0");
    return Mails.put(p, keyValues);
  }

  /** Starts the sink and returns a session whose pool has one connection and waits maxWait for it. */
  private Session onePooledConnection(String maxWait) throws Exception {
    sink = SmtpSink.start("-v");
    return Mails.session(properties("mail.mailwarden.pool.max-connections", "1",
        "mail.mailwarden.pool.max-wait", maxWait));
  }

  private static Transport holdTheConnection(Session session) throws MessagingException {
    Transport holder = session.getTransport();
    holder.connect();
    return holder;
  }

  private static MimeMessage message(Session session, String subject) throws MessagingException {
    MimeMessage m = Mails.message(session, "customer@example.com");
    m.setSubject(subject);
    return m;
  }

  private long received(String subject) throws Exception {
    return received(sink.messages(), subject);
  }

  private static long received(List<Dumped> messages, String subject) {
    return messages.stream().filter(d -> d.content().contains("Subject: " + subject)).count();
  }

  @Test
  void transportSendReusesOneConnectionForManySends() throws Exception {
    sink = SmtpSink.start("-v");
    Session session = Mails.session(properties());
    for (int i = 0; i < 20; i++) {
      Transport.send(message(session, "n" + i));
    }
    assertThat(sink.messages()).hasSize(20);
    assertThat(sink.sessions()).isEqualTo(1);
    assertThat(sink.commands("NOOP")).as("a connection used a moment ago is not pinged").isZero();
  }

  static Stream<Arguments> sendsAndConnections() {
    return Stream.of(
        arguments("with pooling off every send opens its own connection",
            List.of("mail.mailwarden.pool.enabled", "false"), 3, 3),
        arguments("a connection carries at most max-messages-per-connection across sends",
            List.of("mail.mailwarden.pool.max-messages-per-connection", "3"), 7, 3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sendsAndConnections")
  void transportSendOpensAsManyConnectionsAsThePoolSettingsAllow(String rule, List<String> settings, int sends,
      int connections) throws Exception {
    sink = SmtpSink.start("-v");
    Session session = Mails.session(properties(settings.toArray(new String[0])));
    for (int i = 0; i < sends; i++) {
      Transport.send(message(session, "n" + i));
    }
    assertThat(sink.messages()).hasSize(sends);
    assertThat(sink.sessions()).isEqualTo(connections);
  }

  @Test
  void aConnectionCarriesAtMostMaxMessagesPerConnectionWithinOneConnect() throws Exception {
    sink = SmtpSink.start("-v");
    Session session = Mails.session(properties("mail.mailwarden.pool.max-messages-per-connection", "3"));
    try (Transport t = session.getTransport()) {
      t.connect();
      for (int i = 0; i < 7; i++) {
        MimeMessage m = message(session, "n" + i);
        t.sendMessage(m, m.getAllRecipients());
      }
    }
    assertThat(sink.messages()).hasSize(7);
    assertThat(sink.sessions()).isEqualTo(3);
  }

  @Test
  void sendOnAConnectionTheServerDroppedIsSentOnceMoreOnAFreshConnection() throws Exception {
    sink = SmtpSink.start("-v");
    Session session = Mails.session(properties());
    Transport.send(message(session, "before"));
    sink.restart(); // the pooled connection is now dead, and it was used a moment ago: no NOOP
    try (LogCapture logs = new LogCapture()) {
      Transport.send(message(session, "after"));
      assertThat(logs.messages(Level.INFO)).anySatisfy(m -> assertThat(m).contains("sending once more"));
    }
    assertThat(received("before")).isEqualTo(1);
    assertThat(received("after")).isEqualTo(1);
    assertThat(sink.sessions()).isEqualTo(2);
  }

  @Test
  void sendDroppedAtRcptIsRetriedExactlyOnceAndThenFails() throws Exception {
    sink = SmtpSink.start("-v", "-q", "RCPT");
    Session session = Mails.session(properties());
    assertThatThrownBy(() -> Transport.send(message(session, "dropped")))
        .isInstanceOf(MessagingException.class);
    assertThat(sink.sessions()).isEqualTo(2);
    assertThat(sink.messages()).isEmpty();
  }

  @Test
  void sendDroppedAfterTheFinalDotIsNeverRetried() throws Exception {
    sink = SmtpSink.start("-v", "-q", ".");
    Session session = Mails.session(properties());
    assertThatThrownBy(() -> Transport.send(message(session, "maybe-accepted")))
        .isInstanceOf(MessagingException.class);
    assertThat(sink.sessions()).isEqualTo(1);
    assertThat(received("maybe-accepted")).isLessThanOrEqualTo(1);
  }

  @Test
  void aFailedConnectionIsNotReturnedToThePool() throws Exception {
    sink = SmtpSink.start("-v", "-q", ".");
    Session session = Mails.session(properties());
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> Transport.send(message(session, "x"))).isInstanceOf(MessagingException.class);
    }
    assertThat(sink.sessions()).isEqualTo(2);
  }

  @Test
  void connectWaitsAtMostMaxWaitWhenEveryConnectionIsInUse() throws Exception {
    Session session = onePooledConnection("200ms");
    Transport holder = holdTheConnection(session);
    long start = System.nanoTime();
    assertThatThrownBy(() -> Transport.send(message(session, "waits")))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("mail.mailwarden.pool.max-wait")
        .hasMessageContaining("mail.mailwarden.pool.max-connections")
        .hasMessageContaining("nothing was sent");
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(waitedMillis).isBetween(150L, 5_000L);
    holder.close();
    Transport.send(message(session, "after"));
    List<Dumped> dumped = sink.messages(); // one snapshot: with "after" in it, a sent "waits" is too
    assertThat(received(dumped, "after")).isEqualTo(1);
    assertThat(received(dumped, "waits")).isZero();
    assertThat(sink.sessions()).isEqualTo(1);
  }

  @Test
  void aReturnedConnectionIsHandedToTheNextWaiter() throws Exception {
    Session session = onePooledConnection("10s");
    Transport holder = holdTheConnection(session);
    Thread waiter = new Thread(() -> {
      try {
        Transport.send(message(session, "waited"));
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    });
    waiter.start();
    holder.close();
    waiter.join(10_000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(received("waited")).isEqualTo(1);
    assertThat(sink.sessions()).isEqualTo(1);
  }

  @Test
  void poolKeysAreValidatedNamingTheKey() throws Exception {
    sink = SmtpSink.start();
    for (List<String> bad : List.of(List.of("mail.mailwarden.pool.max-connections", "0"),
        List.of("mail.mailwarden.pool.max-wait", "soon"),
        List.of("mail.mailwarden.pool.enabled", "yes"))) {
      Session session = Mails.session(properties(bad.get(0), bad.get(1)));
      assertThatThrownBy(() -> Transport.send(message(session, "x")))
          .hasMessageContaining(bad.get(0)).hasMessageContaining(bad.get(1));
    }
  }
}
