package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mailwarden.testing.Refusals.assertRefusedAndNothingReceived;

import ch.qos.logback.classic.Level;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.GuardedTransport;
import org.mailwarden.Mailwarden;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.testing.LogCapture;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;
import org.mailwarden.testing.SmtpSink.Dumped;

/** DSN parameters as Postfix's smtp-sink records them on MAIL FROM and RCPT TO. */
class DsnOnTheWireTest {
  private SmtpSink sink;

  @AfterEach
  void stop() throws Exception {
    if (sink != null) {
      sink.close();
    }
  }

  private List<Dumped> received(int count) {
    return sink.awaitMessages(count);
  }

  @Test
  void transportSendWithOnlyTheProtocolPropertiesRequestsRetHdrsEnvidAndNotifyFailure() throws Exception {
    sink = SmtpSink.start();
    Session session = Mails.session(Mails.properties(sink.port()));

    Transport.send(Mails.message(session, "jane@example.com", "joe@example.org"));

    Dumped dumped = received(1).get(0);
    assertThat(dumped.mailParameter("RET")).isEqualTo("HDRS");
    assertThat(dumped.mailParameter("ENVID")).matches("[0-9a-f]{32}");
    assertThat(dumped.rcptArgs()).hasSize(2);
    assertThat(dumped.rcptParameter(0, "NOTIFY")).isEqualTo("FAILURE");
    assertThat(dumped.rcptParameter(1, "NOTIFY")).isEqualTo("FAILURE");
    assertThat(dumped.rcptParameter(0, "ORCPT")).isEqualTo("rfc822;jane@example.com");
  }

  @Test
  void smtpMessageAskingForSuccessAndFullBodyIsOverriddenByPolicy() throws Exception {
    sink = SmtpSink.start();
    Session session = Mails.session(Mails.properties(sink.port()));
    SMTPMessage message = new SMTPMessage(Mails.message(session, "jane@example.com"));
    message.setNotifyOptions(SMTPMessage.NOTIFY_SUCCESS);
    message.setReturnOption(SMTPMessage.RETURN_FULL);
    message.setMailExtension("ENVID=chosen-by-app");

    Transport.send(message);

    Dumped dumped = received(1).get(0);
    assertThat(dumped.mailParameter("RET")).isEqualTo("HDRS");
    assertThat(dumped.mailParameter("ENVID")).matches("[0-9a-f]{32}");
    assertThat(dumped.mailArgs()).doesNotContain("FULL", "chosen-by-app");
    assertThat(dumped.rcptParameter(0, "NOTIFY")).isEqualTo("FAILURE");
  }

  static Stream<Arguments> retAndNotify() {
    return Stream.of(
        arguments("the delegate's own DSN properties are overridden too",
            Map.of("mail.smtp.dsn.notify", "SUCCESS", "mail.smtp.dsn.ret", "FULL"), "HDRS", "FAILURE"),
        arguments("NOTIFY=SUCCESS is sent when explicitly allowed",
            Map.of("mail.mailwarden.dsn.allow-success", "true", "mail.mailwarden.dsn.notify", "SUCCESS,FAILURE"),
            "HDRS", "SUCCESS,FAILURE"),
        arguments("RET=FULL is sent when explicitly allowed",
            Map.of("mail.mailwarden.dsn.allow-full", "true", "mail.mailwarden.dsn.ret", "FULL",
                "mail.mailwarden.dsn.notify", "FAILURE,DELAY"), "FULL", "FAILURE,DELAY"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retAndNotify")
  void retAndNotifyOnTheWireFollowTheSessionProperties(String rule, Map<String, String> properties,
      String ret, String notify) throws Exception {
    sink = SmtpSink.start();
    Properties p = Mails.properties(sink.port());
    p.putAll(properties);
    Transport.send(Mails.message(Mails.session(p), "jane@example.com"));

    Dumped dumped = received(1).get(0);
    assertThat(dumped.mailParameter("RET")).isEqualTo(ret);
    assertThat(dumped.rcptParameter(0, "NOTIFY")).isEqualTo(notify);
  }

  @Test
  void envidCanBeTurnedOff() throws Exception {
    sink = SmtpSink.start();
    Properties p = Mails.properties(sink.port());
    p.put("mail.mailwarden.dsn.envid", "false");
    SendReport report = Mailwarden.send(Mails.message(Mails.session(p), "jane@example.com"));

    assertThat(received(1).get(0).mailParameter("ENVID")).isNull();
    assertThat(report.envelopeId()).isEmpty();
  }

  @Test
  void everyMessageGetsItsOwnEnvidAndTheApplicationLearnsIt() throws Exception {
    sink = SmtpSink.start();
    Session session = Mails.session(Mails.properties(sink.port()));

    SendReport first = Mailwarden.send(Mails.message(session, "jane@example.com"));
    Transport transport = session.getTransport();
    transport.connect();
    transport.sendMessage(Mails.message(session, "joe@example.com"),
        new Address[] {new InternetAddress("joe@example.com")});
    SendReport second = ((GuardedTransport) transport).lastReport().orElseThrow();
    transport.close();

    List<Dumped> dumped = received(2);
    assertThat(first.envelopeId()).contains(dumped.get(0).mailParameter("ENVID"));
    assertThat(second.envelopeId()).contains(dumped.get(1).mailParameter("ENVID"));
    assertThat(first.envelopeId()).isNotEqualTo(second.envelopeId());
    assertThat(first.dsnParameters()).hasValueSatisfying(d -> assertThat(d).contains("RET=HDRS",
        "NOTIFY=FAILURE", "ENVID=" + first.envelopeId().orElseThrow()));
  }

  @Test
  void transportSendToExplicitAddressesUsesThoseAddresses() throws Exception {
    sink = SmtpSink.start();
    Session session = Mails.session(Mails.properties(sink.port()));
    Transport.send(Mails.message(session, "jane@example.com"),
        new Address[] {new InternetAddress("other@example.net")});

    Dumped dumped = received(1).get(0);
    assertThat(dumped.rcptArgs()).singleElement().asString().startsWith("<other@example.net>");
  }

  @Test
  void serverWithoutDsnAndDsnRequiredReceivesNothing() throws Exception {
    sink = SmtpSink.start("-N");
    Properties p = Mails.properties(sink.port());
    p.put("mail.mailwarden.dsn.require", "true");
    Session session = Mails.session(p);

    SendRefusedException e = assertRefusedAndNothingReceived(sink,
        () -> Transport.send(Mails.message(session, "jane@example.com")), RefusalReason.DSN_NOT_SUPPORTED);
    assertThat(e.getValidSentAddresses()).isEmpty();
    assertThat(e.getValidUnsentAddresses()).extracting(Object::toString).containsExactly("jane@example.com");
  }

  @Test
  void serverWithoutDsnByDefaultGetsTheMessageAndOneWarning() throws Exception {
    sink = SmtpSink.start("-N");
    Session session = Mails.session(Mails.properties(sink.port()));
    try (LogCapture logs = new LogCapture()) {
      Transport.send(Mails.message(session, "jane@example.com"));
      Transport.send(Mails.message(session, "joe@example.com"));

      List<Dumped> dumped = received(2);
      assertThat(dumped.get(0).mailArgs()).doesNotContain("RET=", "ENVID=");
      assertThat(dumped.get(0).rcptArgs().get(0)).doesNotContain("NOTIFY=");
      assertThat(logs.messages(Level.WARN)).filteredOn(m -> m.contains("does not advertise DSN"))
          .hasSize(1).first().asString().contains("127.0.0.1:" + sink.port());
    }
  }
}
