package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.event.TransportAdapter;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.internal.Engine;
import org.mailwarden.testing.LogCapture;
import org.mailwarden.testing.Mails;

/** Registration, listeners, events, logging and the delegate's session. */
class TransportBehaviourTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private Properties properties() {
    return Mails.properties(greenMail.getSmtp().getPort());
  }

  @Test
  void providerIsRegisteredInAllThreeWaysUnderItsOwnNameOnly() throws Exception {
    for (String file : List.of("META-INF/jakarta.providers", "META-INF/javamail.providers")) {
      String text = read(file);
      assertThat(text).contains("protocol=mailwarden;", "class=" + MailwardenTransport.class.getName());
      assertThat(text).doesNotContain("protocol=smtp");
    }
    List<Provider> loaded = new ArrayList<>();
    ServiceLoader.load(Provider.class).forEach(loaded::add);
    assertThat(loaded).filteredOn(p -> p.getProtocol().equals("mailwarden")).singleElement()
        .satisfies(p -> assertThat(p.getClassName()).isEqualTo(MailwardenTransport.class.getName()));
    Session session = Session.getInstance(new Properties());
    assertThat(session.getTransport("mailwarden")).isInstanceOf(MailwardenTransport.class);
    assertThat(session.getTransport("smtp")).isNotInstanceOf(MailwardenTransport.class);
  }

  private static String read(String resource) throws IOException {
    StringBuilder sb = new StringBuilder();
    Enumeration<URL> urls = TransportBehaviourTest.class.getClassLoader().getResources(resource);
    for (URL url : Collections.list(urls)) {
      if (url.toString().contains("mailwarden") || url.getPath().contains("/impl/")) {
        try (InputStream in = url.openStream()) {
          sb.append(new String(in.readAllBytes()));
        }
      }
    }
    return sb.toString();
  }

  @Test
  void transportListenersGetTheEventsJakartaMailDefines() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.recipients.deny-domains", "competitor.example");
    Session session = Mails.session(p);
    List<TransportEvent> events = Collections.synchronizedList(new ArrayList<>());
    Transport transport = session.getTransport();
    transport.addTransportListener(new TransportAdapter() {
      @Override
      public void messageDelivered(TransportEvent e) {
        events.add(e);
      }

      @Override
      public void messageNotDelivered(TransportEvent e) {
        events.add(e);
      }
    });
    transport.connect();
    transport.sendMessage(Mails.message(session, "a@example.com"),
        new Address[] {new InternetAddress("a@example.com")});
    assertThatThrownBy(() -> transport.sendMessage(Mails.message(session, "b@competitor.example"),
        new Address[] {new InternetAddress("b@competitor.example")}))
        .isInstanceOf(RecipientRejectedException.class);
    transport.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
    assertThat(events.get(0).getType()).isEqualTo(TransportEvent.MESSAGE_DELIVERED);
    assertThat(events.get(0).getValidSentAddresses()).extracting(Address::toString)
        .containsExactly("a@example.com");
    assertThat(events.get(1).getType()).isEqualTo(TransportEvent.MESSAGE_NOT_DELIVERED);
    assertThat(events.get(1).getInvalidAddresses()).extracting(Address::toString)
        .containsExactly("b@competitor.example");
  }

  @Test
  void mailwardenListenersSeeSendsAndRefusalsWithReports() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    MailwardenListener listener = new MailwardenListener() {
      @Override
      public void sent(SendReport report) {
        seen.add("sent " + report.accepted());
      }

      @Override
      public void refused(SendReport report, SendRefusedException refusal) {
        seen.add("refused " + refusal.getReason().code());
      }
    };
    Properties p = properties();
    p.put("mail.mailwarden.listener", listener);
    p.put("mail.mailwarden.limit.messages-per-minute", "1");
    Session session = Mails.session(p);

    Transport.send(Mails.message(session, "a@example.com"));
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "a@example.com")))
        .isInstanceOf(QuotaExceededException.class);

    assertThat(seen).containsExactly("sent [a@example.com]", "refused quota-exceeded");
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheSend() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.listener", new MailwardenListener() {
      @Override
      public void sent(SendReport report) {
        throw new IllegalStateException("boom");
      }
    });
    Transport.send(Mails.message(Mails.session(p), "a@example.com"));
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void logsOfASendARefusalAndAFailureNeverShowAFullRecipientAddress() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.recipients.on-invalid", "drop-recipient");
    p.put("mail.mailwarden.recipients.deny-domains", "competitor.example");
    p.put("mail.mailwarden.limit.messages-per-minute", "2");
    Session session = Mails.session(p);
    try (LogCapture logs = new LogCapture()) {
      Transport.send(Mails.message(session, "jane.doe@example.com"));
      assertThatThrownBy(() -> Transport.send(
          Mails.message(session, "joe.bloggs@example.com", "boss.man@competitor.example")))
          .isInstanceOf(RecipientRejectedException.class);
      assertThatThrownBy(() -> Transport.send(Mails.message(session, "jim.beam@example.com")))
          .isInstanceOf(QuotaExceededException.class);
      Properties down = Mails.properties(1); // nothing listens on port 1
      assertThatThrownBy(() -> Transport.send(Mails.message(Mails.session(down), "ann.other@example.com")))
          .isInstanceOf(jakarta.mail.MessagingException.class);

      String all = logs.all();
      assertThat(logs.events()).isNotEmpty();
      assertThat(all).doesNotContain("jane.doe@", "joe.bloggs@", "boss.man@", "jim.beam@", "ann.other@");
      assertThat(all).contains("j***@example.com", "b***@competitor.example");
    }
  }

  @Test
  void fullAddressesAreLoggedOnlyWhenTheApplicationOptsIn() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.log.show-addresses", "true");
    try (LogCapture logs = new LogCapture()) {
      Transport.send(Mails.message(Mails.session(p), "jane.doe@example.com"));
      assertThat(logs.all()).contains("jane.doe@example.com");
    }
  }

  @Test
  void delegateGetsFiniteTimeoutsAndIdentityChecksUnlessTheApplicationSetItsOwn() {
    Properties p = properties();
    p.put("mail.smtp.timeout", "2500");
    Session delegate = Engine.of(Session.getInstance(p)).delegateSession();

    assertThat(delegate.getProperty("mail.smtp.connectiontimeout")).isEqualTo("10000");
    assertThat(delegate.getProperty("mail.smtp.writetimeout")).isEqualTo("10000");
    assertThat(delegate.getProperty("mail.smtp.timeout")).isEqualTo("2500");
    assertThat(delegate.getProperty("mail.smtp.ssl.checkserveridentity")).isEqualTo("true");
    assertThat(delegate.getProperties().get("mail.smtp.executor.writetimeout"))
        .isInstanceOf(java.util.concurrent.ScheduledExecutorService.class);
  }

  @Test
  void sslKeysThatFrameworksWriteUnderOurPrefixReachTheDelegate() {
    Properties p = properties();
    p.put("mail.mailwarden.ssl.trust", "relay.example.com");
    p.put("mail.mailwarden.delegate", "smtps");
    Session delegate = Engine.of(Session.getInstance(p)).delegateSession();
    assertThat(delegate.getProperty("mail.smtps.ssl.trust")).isEqualTo("relay.example.com");
    assertThat(delegate.getProperty("mail.smtps.connectiontimeout")).isEqualTo("10000");
  }

  @Test
  void configurationErrorFailsAtFirstUseNamingTheKey() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.limit.messages-per-minute", "lots");
    Session session = Mails.session(p);
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "a@example.com")))
        .isInstanceOf(MailwardenConfigurationException.class)
        .hasMessageContaining("mail.mailwarden.limit.messages-per-minute='lots'");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void mailwardenSendReturnsTheReport() throws Exception {
    SendReport report = Mailwarden.send(Mails.message(Mails.session(properties()), "a@example.com"));
    assertThat(report.isComplete()).isTrue();
    assertThat(report.accepted()).extracting(Address::toString).containsExactly("a@example.com");
    assertThat(report.messageId()).isPresent();
    assertThat(report.dsnParameters()).isEmpty(); // GreenMail does not advertise DSN
    assertThat(report.envelopeId()).isEmpty();
  }

  @Test
  void builderConfiguresInCodeAndItsSessionRoutesTransportSendThroughMailwarden() throws Exception {
    Mailwarden mailwarden = Mailwarden.builder().app("builder-" + System.nanoTime())
        .messagesPer(Duration.ofMinutes(1), 1).denyRecipientDomains("competitor.example").build();
    Properties smtp = new Properties();
    smtp.put("mail.smtp.host", "127.0.0.1");
    smtp.put("mail.smtp.port", Integer.toString(greenMail.getSmtp().getPort()));
    Session session = mailwarden.session(smtp);

    Transport.send(Mails.message(session, "a@example.com"));
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "b@example.com")))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void builderInstanceSendsMessagesOfAnyPlainSession() throws Exception {
    Mailwarden mailwarden = Mailwarden.builder().app("builder-" + System.nanoTime())
        .denyRecipientDomains("competitor.example").build();
    Properties plain = new Properties();
    plain.put("mail.smtp.host", "127.0.0.1");
    plain.put("mail.smtp.port", Integer.toString(greenMail.getSmtp().getPort()));
    Session session = Session.getInstance(plain);

    assertThat(mailwarden.sendMessage(Mails.message(session, "a@example.com")).accepted()).hasSize(1);
    assertThatThrownBy(() -> mailwarden.sendMessage(Mails.message(session, "b@competitor.example")))
        .isInstanceOf(RecipientRejectedException.class);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void eachBuiltInstanceOwnsItsQuotaAndCloseReleasesIt() throws Exception {
    String app = "builder-owned-" + System.nanoTime();
    Properties smtp = new Properties();
    smtp.put("mail.smtp.host", "127.0.0.1");
    smtp.put("mail.smtp.port", Integer.toString(greenMail.getSmtp().getPort()));
    Mailwarden first = Mailwarden.builder().app(app).messagesPer(Duration.ofMinutes(1), 1).build();
    Mailwarden second = Mailwarden.builder().app(app).messagesPer(Duration.ofMinutes(1), 1).build();
    try (first; second) {
      Transport.send(Mails.message(first.session(smtp), "a@example.com"));
      assertThatThrownBy(() -> Transport.send(Mails.message(first.session(smtp), "b@example.com")))
          .isInstanceOf(QuotaExceededException.class);
      // the same application name, another instance: its own quota
      Transport.send(Mails.message(second.session(smtp), "c@example.com"));
    }
    assertThat(greenMail.getReceivedMessages()).hasSize(2);
    assertThatThrownBy(() -> Transport.send(Mails.message(second.session(smtp), "d@example.com")))
        .hasMessageContaining("closed");
    assertThat(greenMail.getReceivedMessages()).hasSize(2);
  }

  @Test
  void builderRefusesAMalformedValueAtBuild() {
    assertThatThrownBy(() -> Mailwarden.builder().property("limit.max-wait", "forever").build())
        .isInstanceOf(MailwardenConfigurationException.class)
        .hasMessageContaining("mail.mailwarden.limit.max-wait='forever'");
    assertThatThrownBy(() -> Mailwarden.builder().messagesPer(Duration.ofSeconds(7), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT7S");
  }
}
