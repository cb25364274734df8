package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.util.MailConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.MailwardenListener;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.internal.Environment;
import org.mailwarden.testing.Mails;

/**
 * The policies decide before the network: with a relay that is down, a message the policies refuse
 * is refused with its own reason, report and listener events, and no connection is attempted; a
 * message that passes fails with the connection error, as {@code connect} threw it before.
 */
class PoliciesBeforeNetworkTest {
  private final Environment environment = Environment.create(java.time.Clock.systemUTC(), System::nanoTime);
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final MailwardenListener listener = new MailwardenListener() {
    @Override
    public void refused(SendReport report, SendRefusedException refusal) {
      events.add("refused " + refusal.getReason().code());
    }

    @Override
    public void failed(SendReport report, MessagingException failure) {
      events.add("failed");
    }

    @Override
    public void connected(String app, String server, boolean dsnSupported) {
      events.add("connected");
    }
  };
  private DeadRelay relay;

  @BeforeEach
  void startRelay() throws IOException {
    relay = new DeadRelay();
  }

  @AfterEach
  void stop() throws IOException {
    relay.close();
    environment.close();
  }

  private Session session(int port, String... keyValues) {
    Properties p = Mails.properties(port, keyValues);
    p.put(Environment.KEY, environment);
    p.put("mail.mailwarden.listener", listener);
    p.put("mail.mailwarden.recipients.deny-domains", "competitor.example");
    return Mails.session(p);
  }

  @Test
  void refusalsByPolicyNeverConnectAndGetTheirReportsWhenTheRelayIsDown() throws Exception {
    Session session = session(relay.port(), "mail.mailwarden.limit.messages-per-minute", "1");
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "jane@example.com")))
        .as("the valid message takes the one token and fails at the relay, as connect() failed before")
        .isInstanceOf(MessagingException.class).isNotInstanceOf(jakarta.mail.SendFailedException.class);
    assertThat(relay.accepted()).as("the valid message did try the relay").isPositive();
    int attempts = relay.accepted();
    events.clear();

    assertThatThrownBy(() -> Transport.send(Mails.message(session, "bob@competitor.example")))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> assertThat(e.getRejections())
            .extracting(r -> r.reason()).containsExactly(RecipientReason.DENIED_DOMAIN));
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "jane@example.com"),
        new Address[] {Mails.raw("bad address@example.com")}))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> assertThat(e.getRejections())
            .extracting(r -> r.reason()).containsExactly(RecipientReason.SYNTAX));
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "jane@example.com")))
        .isInstanceOfSatisfying(QuotaExceededException.class,
            e -> assertThat(e.getReason()).isEqualTo(RefusalReason.QUOTA_EXCEEDED));

    assertThat(relay.accepted()).as("connection attempts for refused messages").isEqualTo(attempts);
    assertThat(events).containsExactly("refused recipients-rejected", "refused recipients-rejected",
        "refused quota-exceeded");
  }

  @Test
  void aValidMessageFailsWithTheConnectionErrorAsConnectThrewIt() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Session session = session(closedPort);

    assertThatThrownBy(() -> Transport.send(Mails.message(session, "jane@example.com")))
        .isInstanceOf(MailConnectException.class);
    assertThat(events).as("a connection failure is not a send report").isEmpty();
    Transport explicit = session.getTransport();
    assertThatThrownBy(explicit::connect).as("an application's own connect connects at once")
        .isInstanceOf(MailConnectException.class);
  }

  /** Accepts connections, counts them and closes them at once: a relay that is there but broken. */
  private static final class DeadRelay implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    DeadRelay() throws IOException {
      acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept()) {
            accepted.incrementAndGet();
          } catch (IOException e) {
            return;
          }
        }
      }, "dead-relay");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    /** Connections accepted so far (a connect returns only once the acceptor has counted it or read EOF). */
    int accepted() {
      return accepted.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
