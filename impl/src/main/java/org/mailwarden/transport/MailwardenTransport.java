package org.mailwarden.transport;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.event.ConnectionEvent;
import jakarta.mail.event.ConnectionListener;
import jakarta.mail.event.MailEvent;
import jakarta.mail.event.TransportListener;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Vector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.jspecify.annotations.Nullable;
import org.mailwarden.GuardedTransport;
import org.mailwarden.QuotaUsage;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.internal.Engine;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.DeliveryFailedException;
import org.mailwarden.internal.chain.FromHeader;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.RealChain;
import org.mailwarden.suppression.ReputationGuard;
import org.mailwarden.suppression.SuppressionList;

/**
 * The Jakarta Mail transport registered as protocol {@code mailwarden}. It wraps Angus Mail's SMTP
 * transport (the delegate, {@code smtp} or {@code smtps} per {@code mail.mailwarden.delegate}) and
 * passes every message through Mailwarden's policy chain before the delegate sees it.
 *
 * <p>The delegate is configured exactly as it would be without Mailwarden ({@code mail.smtp.*},
 * the host, port and credentials given to {@code connect}); Mailwarden adds finite timeouts and
 * server identity checks where the application set none. Like every Jakarta Mail transport, an
 * instance is used by one thread at a time.
 */
public class MailwardenTransport extends Transport implements GuardedTransport {
  private static final long EVENT_QUEUE_WAIT_MILLIS = 1_000;
  private static final SendPaths SEND_PATHS = new SendPaths();

  private Engine engine;
  private SendEvents events;
  private Lease lease;
  private volatile boolean listened;
  private SendReport lastReport;

  /** Called by Jakarta Mail's {@code Session.getTransport}. */
  public MailwardenTransport(Session session, URLName urlname) {
    super(session, urlname);
  }

  @Override
  public void checkConfiguration() {
    engine();
  }

  @Override
  public SuppressionList suppressions() {
    return engine().deliverability().list();
  }

  @Override
  public ReputationGuard reputation() {
    return engine().deliverability().guard();
  }

  @Override
  public Optional<SendReport> lastReport() {
    return Optional.ofNullable(lastReport);
  }

  @Override
  public List<QuotaUsage> quotaUsage() {
    return Engine.of(session).quota().usage();
  }

  @Override
  public Map<String, String> effectivePolicies() {
    return Engine.of(session).config().effectivePolicies();
  }

  @Override
  public Optional<Map<String, Long>> dnsCounters() {
    return Engine.of(session).dnsStats().map(stats -> {
      Map<String, Long> counters = new LinkedHashMap<>();
      counters.put("lookups", stats.lookups());
      counters.put("cache-hits", stats.cacheHits());
      counters.put("failures", stats.failures());
      return Collections.unmodifiableMap(counters);
    });
  }

  @Override
  public org.mailwarden.StoreHealth storeHealth() {
    Engine e = Engine.of(session);
    org.mailwarden.internal.config.MailwardenConfig config = e.config();
    org.mailwarden.spi.StoreStatus status = e.storeStatus();
    return new org.mailwarden.StoreHealth(status.store(), config.store().isShared(), status.reachable(),
        config.store().onFailure() == org.mailwarden.spi.StoreSettings.OnFailure.LOCAL,
        status.latency(), status.detail());
  }

  /**
   * Borrows a connected delegate from the session's pool (or connects a new one when pooling is off
   * or no idle one fits). The host, port, user and password are handed to the delegate unchanged, so
   * an unset host is resolved by the delegate itself ({@code mail.smtp.host}, then {@code mail.host});
   * pooled connections are shared only between connects with the same four values.
   *
   * <p>When the connect is the first step of a send ({@code Transport.send}, {@code Mailwarden.send}
   * and {@code sendMessage}, Spring's {@code JavaMailSender.send}), nothing is borrowed yet: the
   * message passes the policies first and the connection is borrowed only for a message that will be
   * sent, so a refused message never touches the network. A connect failure then comes from
   * {@code sendMessage}, unchanged. Any other connect (an application's own, Spring's
   * {@code testConnection}) connects at once.
   *
   * @throws MessagingException when connecting fails, or every pooled connection stayed in use for
   *     {@code mail.mailwarden.pool.max-wait}
   */
  @Override
  public synchronized void connect(@Nullable String host, int port, @Nullable String user,
      @Nullable String password) throws MessagingException {
    if (isConnected()) {
      throw new IllegalStateException("already connected");
    }
    Engine e = engine();
    lease = SEND_PATHS.calledFromSend()
        ? Lease.deferred(e, host, port, user, password, events::connected)
        : Lease.borrow(e, host, port, user, password);
    setURLName(new URLName(getURLName().getProtocol(), host, port, null, user, null));
    setConnected(true);
    notifyConnectionListeners(ConnectionEvent.OPENED);
    if (!lease.isPending()) {
      events.connected(lease);
    }
  }

  @Override
  protected boolean protocolConnect(@Nullable String host, int port, @Nullable String user,
      @Nullable String password) throws MessagingException {
    connect(host, port, user, password);
    return true;
  }

  /**
   * Returns whether a connection is held and its socket is open. Unlike Angus's own transport this
   * sends no {@code NOOP}: the pool checks connections that sat idle before lending them, and a send
   * that finds the connection gone before the message data is retried once on a fresh one.
   */
  @Override
  public synchronized boolean isConnected() {
    return lease != null && super.isConnected() && (lease.isPending() || lease.isOpen());
  }

  /** Returns the connection to the pool (or closes it when pooling is off or it failed). */
  @Override
  public synchronized void close() throws MessagingException {
    Lease l = lease;
    lease = null;
    try {
      if (l != null) {
        l.release();
      }
    } finally {
      if (listened) {
        awaitEventQueue();
      }
      super.close();
    }
  }

  @Override
  public void addTransportListener(TransportListener l) {
    listened = true;
    super.addTransportListener(l);
  }

  @Override
  public void addConnectionListener(ConnectionListener l) {
    listened = true;
    super.addConnectionListener(l);
  }

  /**
   * Waits (at most {@value #EVENT_QUEUE_WAIT_MILLIS} ms) until the events queued so far have been
   * dispatched. Jakarta Mail's event thread reads its queue only once it runs; a {@code close()}
   * that comes before that (as a pooled close does, with no QUIT round trip) leaves it an empty queue
   * and every event is lost. Only transports with listeners pay for this.
   */
  private void awaitEventQueue() {
    CountDownLatch dispatched = new CountDownLatch(1);
    Vector<EventListener> marker = new Vector<>(1);
    marker.add(new EventListener() {});
    queueEvent(new MailEvent(this) {
      @Override
      public void dispatch(Object listener) {
        dispatched.countDown();
      }
    }, marker);
    try {
      dispatched.await(EVENT_QUEUE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Passes the message through the policy chain, delivery last, then reports the outcome
   * ({@link #lastReport()}, transport events, the engine's listener). The whole call is bounded by
   * {@code send-timeout} (30 s unless set; 0 for none): when it passes, the connection is closed and
   * the send fails with a {@link org.mailwarden.SendTimeoutException}, reported like a server's failure.
   */
  @Override
  public synchronized void sendMessage(Message message, Address @Nullable [] addresses)
      throws MessagingException {
    if (lease == null) {
      throw new IllegalStateException("not connected");
    }
    Engine e = engine();
    String app = e.config().app();
    List<InternetAddress> recipients = internetAddresses(message, addresses == null ? new Address[0] : addresses);
    FromHeader from = FromHeader.of(message); // parsed once: for the envelope and the sender policy
    Outgoing outgoing = Outgoing.of(message, envelopeFrom(message, e, from), recipients, from);
    Lease l = lease;
    SendDeadline deadline = SendDeadline.start(e.config().sendTimeout(), l::abort,
        e.environment().writeTimeouts());
    l.bound(deadline);
    Delivered delivered;
    try {
      String tenant = TenantHeader.of(message, e.config().tenantResolver());
      if (tenant != null) {
        outgoing = outgoing.forTenant(tenant);
      }
      delivered = RealChain.run(e.policies(), outgoing, l, l::deliver);
    } catch (DeliveryFailedException failure) {
      throw failed(app, failure.outgoing(), failure.failure(), message);
    } catch (MessagingException | RuntimeException failure) {
      if (l.failedToConnect(failure)) {
        throw (MessagingException) failure; // as connect() would have thrown it
      }
      throw failed(app, outgoing, failure, message);
    } finally {
      l.bound(null);
      if (deadline != null && !deadline.end()) {
        l.discard(); // the watchdog may have closed it just as the send ended
      }
    }
    Outgoing done = delivered.outgoing();
    lastReport = delivered.report(app); // built once, shared with the suppression policy
    if (!done.dropped().isEmpty()) {
      RecipientRejectedException partial = new RecipientRejectedException(done.dropped(),
          delivered.accepted().toArray(new Address[0]), new Address[0]);
      events.partlyDelivered(lastReport, partial, message);
      throw partial;
    }
    events.delivered(lastReport, message);
  }

  /**
   * Reports a send that did not go through and returns what the application gets; an unchecked
   * failure is thrown from here as it is.
   *
   * @param o the message as far as it got
   */
  private MessagingException failed(String app, Outgoing o, Exception failure, Message message) {
    lastReport = Reports.ofFailure(app, o, failure);
    events.failed(lastReport, failure, message);
    if (failure instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    return Reports.toThrow(o, (MessagingException) failure);
  }

  private Engine engine() {
    if (engine == null) {
      Engine e = Engine.of(session);
      events = new SendEvents(e.listener(), e.config().app(), e.hasApplicationListeners(),
          new SendEvents.TransportListeners() {
            @Override
            public boolean any() {
              return listened;
            }

            @Override
            public void notify(int type, Address[] delivered, Address[] undelivered, Address[] invalid,
                Message message) {
              notifyTransportListeners(type, delivered, undelivered, invalid, message);
            }
          });
      engine = e;
    }
    return engine;
  }

  private static List<InternetAddress> internetAddresses(Message message, Address[] addresses)
      throws MessagingException {
    List<InternetAddress> out = new ArrayList<>(addresses.length);
    List<RejectedRecipient> rejected = new ArrayList<>(0);
    for (Address a : addresses) {
      if (a instanceof InternetAddress ia) {
        out.add(ia);
      } else {
        rejected.add(new RejectedRecipient(new InternetAddress(), RecipientReason.NOT_INTERNET_ADDRESS,
            "a " + (a == null ? "null" : a.getType()) + " address cannot be sent over SMTP"));
      }
    }
    if (!rejected.isEmpty()) {
      throw new RecipientRejectedException(rejected, null, out.toArray(new Address[0]));
    }
    if (out.isEmpty()) {
      throw new SendRefusedException(org.mailwarden.RefusalReason.NO_RECIPIENTS,
          "the message has no recipients", new Address[0]);
    }
    return out;
  }

  /** Determines the envelope sender as Angus will: SMTPMessage, then mail.smtp.from, then From. */
  private static String envelopeFrom(Message message, Engine e, FromHeader from) throws MessagingException {
    if (message instanceof SMTPMessage smtp && smtp.getEnvelopeFrom() != null
        && !smtp.getEnvelopeFrom().isEmpty()) {
      return smtp.getEnvelopeFrom();
    }
    String configured = e.delegateSession().getProperty(
        "smtps".equals(e.config().delegateProtocol()) ? "mail.smtps.from" : "mail.smtp.from");
    if (configured != null && !configured.isEmpty()) {
      return configured;
    }
    // a malformed From header gives none here: it is the sender policy's to refuse, with a reason
    return from.firstAddress();
  }
}
