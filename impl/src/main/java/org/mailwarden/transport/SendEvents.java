package org.mailwarden.transport;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.event.TransportEvent;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import java.util.List;
import org.mailwarden.SendReport;
import org.mailwarden.WouldBeRefusal;
import org.mailwarden.internal.event.EngineListener;

/**
 * Announces what happened to a send, in the order applications see it: first the Jakarta Mail
 * {@link TransportEvent} for the transport's own listeners, then the engine's listener (the
 * application's {@code MailwardenListener}s, then logging).
 */
final class SendEvents {
  /** The transport's Jakarta Mail listeners (its {@code notifyTransportListeners} is protected). */
  interface TransportListeners {
    /** Returns whether any listener was added: without one, Jakarta Mail drops the event anyway. */
    boolean any();

    void notify(int type, Address[] delivered, Address[] undelivered, Address[] invalid, Message message);
  }

  private final EngineListener listener;
  private final String app;
  private final boolean connectionsObserved;
  private final TransportListeners transport;

  /**
   * @param listener the engine's listener
   * @param app the application name
   * @param connectionsObserved whether the application has listeners to tell of connections (the
   *     server's name and extensions are not looked up otherwise)
   * @param transport the transport's Jakarta Mail listeners
   */
  SendEvents(EngineListener listener, String app, boolean connectionsObserved, TransportListeners transport) {
    this.listener = listener;
    this.app = app;
    this.connectionsObserved = connectionsObserved;
    this.transport = transport;
  }

  /** A connection was borrowed (the transport has already told its connection listeners). */
  void connected(Lease lease) {
    if (connectionsObserved) {
      listener.connected(app, lease.server(), lease.supportsExtension("DSN"));
    }
  }

  /** The server accepted the message for every recipient the policies kept, and none was dropped. */
  void delivered(SendReport report, Message message) {
    fire(TransportEvent.MESSAGE_DELIVERED, report, message);
    wouldRefuse(report);
    listener.sent(report);
  }

  /** The server accepted the message for the recipients kept; the policies dropped the others. */
  void partlyDelivered(SendReport report, RecipientRejectedException dropped, Message message) {
    fire(TransportEvent.MESSAGE_PARTIALLY_DELIVERED, report, message);
    wouldRefuse(report);
    listener.refused(report, dropped);
  }

  /** Report-only: each refusal decided but not enforced, before the outcome of the delivery. */
  private void wouldRefuse(SendReport report) {
    List<WouldBeRefusal> all = report.wouldRefuse();
    for (int i = 0; i < all.size(); i++) {
      listener.wouldRefuse(report, all.get(i));
    }
  }

  /**
   * The send did not go through: a policy refused it, the server failed it (in whole or part), or
   * something else was thrown.
   */
  void failed(SendReport report, Exception failure, Message message) {
    wouldRefuse(report);
    if (failure instanceof SendRefusedException refusal) {
      fire(TransportEvent.MESSAGE_NOT_DELIVERED, report, message);
      listener.refused(report, refusal);
    } else if (failure instanceof SendFailedException serverFailure) {
      fire(report.accepted().isEmpty() ? TransportEvent.MESSAGE_NOT_DELIVERED
          : TransportEvent.MESSAGE_PARTIALLY_DELIVERED, report, message);
      listener.failed(report, serverFailure);
    } else if (failure instanceof MessagingException other) {
      fire(TransportEvent.MESSAGE_NOT_DELIVERED, report, message);
      listener.failed(report, other);
    } else if (failure instanceof RuntimeException unchecked) {
      fire(TransportEvent.MESSAGE_NOT_DELIVERED, report, message);
      listener.failedUnchecked(report, unchecked);
    }
  }

  private void fire(int type, SendReport report, Message message) {
    if (!transport.any()) {
      return;
    }
    Address[] invalid = new Address[report.refused().size() + report.refusedByServer().size()];
    int i = 0;
    for (RejectedRecipient r : report.refused()) {
      invalid[i++] = r.address();
    }
    for (Address a : report.refusedByServer()) {
      invalid[i++] = a;
    }
    transport.notify(type, report.accepted().toArray(new Address[0]), report.unsent().toArray(new Address[0]),
        invalid, message);
  }
}
