package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.internal.event.EngineListener;

/** The transport event comes first, then the engine's listener; each outcome has its own pair. */
class SendEventsTest {
  private final List<String> calls = new ArrayList<>();
  private boolean listened = true;
  private final Message message = new MimeMessage(Session.getInstance(new Properties()));

  private final EngineListener listener = new EngineListener() {
    @Override
    public void sent(SendReport report) {
      calls.add("sent");
    }

    @Override
    public void refused(SendReport report, SendRefusedException refusal) {
      calls.add("refused " + refusal.getReason().code());
    }

    @Override
    public void failed(SendReport report, MessagingException failure) {
      calls.add("failed " + failure.getClass().getSimpleName());
    }

    @Override
    public void failedUnchecked(SendReport report, RuntimeException failure) {
      calls.add("unchecked " + failure.getClass().getSimpleName());
    }
  };

  private final SendEvents events = new SendEvents(listener, "app", false, new SendEvents.TransportListeners() {
    @Override
    public boolean any() {
      return listened;
    }

    @Override
    public void notify(int type, Address[] delivered, Address[] undelivered, Address[] invalid, Message m) {
      assertThat(m).isSameAs(message);
      calls.add(name(type) + " delivered=" + Arrays.toString(delivered) + " undelivered="
          + Arrays.toString(undelivered) + " invalid=" + Arrays.toString(invalid));
    }
  });

  private static String name(int type) {
    return switch (type) {
      case TransportEvent.MESSAGE_DELIVERED -> "DELIVERED";
      case TransportEvent.MESSAGE_PARTIALLY_DELIVERED -> "PARTIALLY_DELIVERED";
      case TransportEvent.MESSAGE_NOT_DELIVERED -> "NOT_DELIVERED";
      default -> "?" + type;
    };
  }

  private static InternetAddress address(String a) throws Exception {
    return new InternetAddress(a);
  }

  private static SendReport report(List<Address> accepted, List<RejectedRecipient> refused,
      List<Address> refusedByServer, List<Address> unsent) {
    return new SendReport("app", null, null, null, accepted, refused, refusedByServer, unsent);
  }

  @Test
  void aDeliveryIsDeliveredThenSent() throws Exception {
    events.delivered(report(List.of(address("a@example.com")), List.of(), List.of(), List.of()), message);
    assertThat(calls).containsExactly("DELIVERED delivered=[a@example.com] undelivered=[] invalid=[]", "sent");
  }

  @Test
  void droppedRecipientsArePartiallyDeliveredThenRefused() throws Exception {
    RejectedRecipient dropped = new RejectedRecipient(address("b@x.example"), RecipientReason.DENIED_DOMAIN, "no");
    events.partlyDelivered(report(List.of(address("a@example.com")), List.of(dropped), List.of(), List.of()),
        new RecipientRejectedException(List.of(dropped), new Address[0], new Address[0]), message);
    assertThat(calls).containsExactly(
        "PARTIALLY_DELIVERED delivered=[a@example.com] undelivered=[] invalid=[b@x.example]",
        "refused recipients-rejected");
  }

  @Test
  void aRefusalIsNotDeliveredThenRefused() throws Exception {
    events.failed(report(List.of(), List.of(), List.of(), List.of(address("a@example.com"))),
        new SendRefusedException(RefusalReason.QUOTA_EXCEEDED, "no", new Address[0]), message);
    assertThat(calls).containsExactly("NOT_DELIVERED delivered=[] undelivered=[a@example.com] invalid=[]",
        "refused quota-exceeded");
  }

  @Test
  void aServerFailureWithSomeAcceptedIsPartiallyDeliveredThenFailed() throws Exception {
    events.failed(report(List.of(address("a@example.com")), List.of(), List.of(address("b@example.com")),
        List.of()), new SendFailedException("550"), message);
    events.failed(report(List.of(), List.of(), List.of(address("b@example.com")), List.of()),
        new SendFailedException("550"), message);
    assertThat(calls).containsExactly(
        "PARTIALLY_DELIVERED delivered=[a@example.com] undelivered=[] invalid=[b@example.com]",
        "failed SendFailedException",
        "NOT_DELIVERED delivered=[] undelivered=[] invalid=[b@example.com]",
        "failed SendFailedException");
  }

  @Test
  void otherFailuresAreNotDeliveredThenFailedOrUnchecked() throws Exception {
    SendReport unsent = report(List.of(), List.of(), List.of(), List.of(address("a@example.com")));
    events.failed(unsent, new MessagingException("connection lost"), message);
    events.failed(unsent, new IllegalStateException("bug"), message);
    assertThat(calls).containsExactly(
        "NOT_DELIVERED delivered=[] undelivered=[a@example.com] invalid=[]", "failed MessagingException",
        "NOT_DELIVERED delivered=[] undelivered=[a@example.com] invalid=[]", "unchecked IllegalStateException");
  }

  @Test
  void withoutTransportListenersOnlyTheEngineListenerIsCalled() throws Exception {
    listened = false;
    events.delivered(report(List.of(address("a@example.com")), List.of(), List.of(), List.of()), message);
    assertThat(calls).containsExactly("sent");
  }
}
