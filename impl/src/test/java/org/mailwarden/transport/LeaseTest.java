package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.internal.Engine;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.smtp.DsnSmtpTransport;
import org.mailwarden.testing.Mails;

/** A lease borrows a connection, delivers on it, renews it when spent and gives it back. */
class LeaseTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private Engine engine(String... keys) {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    for (int i = 0; i < keys.length; i += 2) {
      p.put("mail.mailwarden." + keys[i], keys[i + 1]);
    }
    return Engine.of(Session.getInstance(p));
  }

  private static Outgoing outgoing(String to) throws Exception {
    MimeMessage m = Mails.message(Session.getInstance(new Properties()), to);
    m.saveChanges();
    return Outgoing.of(m, "sender@example.com", List.of(new InternetAddress(to)));
  }

  @Test
  void deliveryHandsTheMessageToTheServerAndReportsEveryRecipientAccepted() throws Exception {
    Engine engine = engine();
    Lease lease = Lease.borrow(engine, null, -1, null, null);
    Outgoing outgoing = outgoing("a@example.com");

    Delivered delivered = lease.deliver(outgoing);
    lease.release();

    assertThat(delivered.outgoing()).isSameAs(outgoing);
    assertThat(delivered.accepted()).extracting(Object::toString).containsExactly("a@example.com");
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aReleasedConnectionIsLentAgainAndTheLeaseNamesItsServer() throws Exception {
    Engine engine = engine();
    Lease first = Lease.borrow(engine, null, -1, null, null);
    DsnSmtpTransport transport = first.transport();
    assertThat(first.server()).isEqualTo("127.0.0.1:" + greenMail.getSmtp().getPort());
    first.release();

    Lease second = Lease.borrow(engine, null, -1, null, null);
    assertThat(second.transport()).isSameAs(transport);
    assertThat(second.isOpen()).isTrue();
    second.release();
  }

  @Test
  void aSpentConnectionIsReplacedBeforeTheNextMessage() throws Exception {
    Engine engine = engine("pool.max-messages-per-connection", "1");
    Lease lease = Lease.borrow(engine, null, -1, null, null);
    DsnSmtpTransport first = lease.transport();

    lease.deliver(outgoing("a@example.com"));
    lease.deliver(outgoing("b@example.com"));

    assertThat(lease.transport()).isNotSameAs(first);
    assertThat(first.isOpen()).isFalse();
    assertThat(greenMail.getReceivedMessages()).hasSize(2);
    lease.release();
  }

  @Test
  void aReleasedLeaseHoldsNoConnection() throws Exception {
    Lease lease = Lease.borrow(engine(), null, -1, null, null);
    lease.release();
    assertThat(lease.isOpen()).isFalse();
    assertThatThrownBy(() -> lease.deliver(outgoing("a@example.com")))
        .isInstanceOf(IllegalStateException.class).hasMessage("not connected");
  }
}
