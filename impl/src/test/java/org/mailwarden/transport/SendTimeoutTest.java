package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendReport;
import org.mailwarden.SendTimeoutException;
import org.mailwarden.internal.Environment;
import org.mailwarden.testing.Mails;

/**
 * {@code send-timeout} bounds one send as a whole: against a server that accepts and never answers
 * (with the default 10 s socket timeouts and one retry, about 20 s otherwise), the send ends at the
 * bound with a {@link SendTimeoutException} naming the key, and its connection is closed.
 */
class SendTimeoutTest {
  private final Environment environment = Environment.create(java.time.Clock.systemUTC(), System::nanoTime);
  private final List<MessagingException> failures = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    environment.close();
  }

  private Session session(int port, String... keyValues) {
    Properties p = Mails.properties(port, keyValues);
    p.put(Environment.KEY, environment);
    p.put("mail.mailwarden.listener", new MailwardenListener() {
      @Override
      public void failed(SendReport report, MessagingException failure) {
        failures.add(failure);
      }
    });
    return Mails.session(p);
  }

  @Test
  void aSilentServerEndsTheSendAtTheSendTimeoutWithAnExceptionNamingTheKey() throws Exception {
    try (SilentServer server = new SilentServer()) {
      Session session = session(server.port(), "mail.mailwarden.send-timeout", "3s");
      ((org.mailwarden.GuardedTransport) session.getTransport()).checkConfiguration(); // built once, not per send
      jakarta.mail.Message message = Mails.message(session, "jane@example.com");

      long start = System.nanoTime();
      assertThatThrownBy(() -> Transport.send(message))
          .isInstanceOfSatisfying(SendTimeoutException.class, e -> {
            assertThat(e.getKey()).isEqualTo("send-timeout");
            assertThat(e.getTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(e.getMessage()).contains("send-timeout=3000ms");
          });
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(3)).isLessThan(Duration.ofSeconds(4));
      assertThat(failures).singleElement().isInstanceOf(SendTimeoutException.class);
      assertThat(server.connections()).as("not tried again after the deadline").hasSize(1);
      await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
          assertThat(server.connections().get(0).getInputStream().read()).as("closed by the client").isEqualTo(-1));
    }
  }

  @Test
  void theDefaultBoundIsThirtySeconds() throws Exception {
    Session session = session(25);
    assertThat(((org.mailwarden.GuardedTransport) session.getTransport()).effectivePolicies())
        .containsEntry("send-timeout", "30000ms");
  }

  /** Accepts connections and never writes a byte. */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    SilentServer() throws IOException {
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            s.setSoTimeout(5_000);
            accepted.add(s);
          } catch (IOException e) {
            return;
          }
        }
      }, "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    List<Socket> connections() {
      return accepted;
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
