package org.mailwarden.transport;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.event.ConnectionEvent;
import jakarta.mail.event.ConnectionListener;
import jakarta.mail.event.MailEvent;
import jakarta.mail.event.TransportListener;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.mailwarden.GuardedTransport;
import org.mailwarden.MailwardenListener;
import org.mailwarden.QuotaUsage;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.internal.Engine;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.DsnRequest;
import org.mailwarden.internal.chain.FromHeader;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.chain.RealChain;
import org.mailwarden.internal.pool.ConnectionPool;
import org.mailwarden.internal.smtp.DsnSmtpTransport;
import org.mailwarden.internal.util.Masking;
import org.mailwarden.internal.util.MessageIds;
import org.mailwarden.suppression.ReputationGuard;
import org.mailwarden.suppression.SuppressionList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(MailwardenTransport.class);
  private static final long EVENT_QUEUE_WAIT_MILLIS = 1_000;

  private Engine engine;
  private ConnectionPool.Connection lease;
  private boolean leaseFailed;
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
    Engine e = engine();
    return e.deliverability().list(e.config().listeners());
  }

  @Override
  public ReputationGuard reputation() {
    Engine e = engine();
    return e.deliverability().guard(e.config().listeners());
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
   * @throws MessagingException when connecting fails, or every pooled connection stayed in use for
   *     {@code mail.mailwarden.pool.max-wait}
   */
  @Override
  public synchronized void connect(String host, int port, String user, String password)
      throws MessagingException {
    if (isConnected()) {
      throw new IllegalStateException("already connected");
    }
    Engine e = engine();
    lease = e.pool().borrow(host, port, user, password);
    leaseFailed = false;
    setURLName(new URLName(getURLName().getProtocol(), host, port, null, user, null));
    setConnected(true);
    notifyConnectionListeners(ConnectionEvent.OPENED);
    if (!e.config().listeners().isEmpty()) {
      DsnSmtpTransport d = lease.transport();
      String server = e.serverName(d.getURLName());
      boolean dsn = d.supportsExtension("DSN");
      for (MailwardenListener l : e.config().listeners()) {
        safely(() -> l.connected(e.config().app(), server, dsn));
      }
    }
  }

  @Override
  protected boolean protocolConnect(String host, int port, String user, String password)
      throws MessagingException {
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
    return lease != null && super.isConnected() && lease.transport().isOpen();
  }

  /** Returns the connection to the pool (or closes it when pooling is off or it failed). */
  @Override
  public synchronized void close() throws MessagingException {
    ConnectionPool.Connection c = lease;
    lease = null;
    try {
      if (c != null) {
        engine().pool().release(c, !leaseFailed);
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

  @Override
  public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
    if (lease == null) {
      throw new IllegalStateException("not connected");
    }
    Engine e = engine();
    List<MailwardenListener> listeners = e.config().listeners();
    boolean show = e.config().showAddresses();
    List<InternetAddress> recipients = internetAddresses(message, addresses == null ? new Address[0] : addresses);
    FromHeader from = FromHeader.of(message); // parsed once: for the envelope and the sender policy
    Outgoing outgoing = Outgoing.of(message, envelopeFrom(message, e, from), recipients, from);
    DsnSmtpTransport leased = lease.transport();
    Policy.Connection connection = new Policy.Connection() {
      private String server;

      @Override
      public String server() {
        if (server == null) {
          server = e.serverName(leased.getURLName());
        }
        return server;
      }

      @Override
      public boolean supportsExtension(String extension) {
        return lease.transport().supportsExtension(extension);
      }
    };
    Outgoing[] last = {outgoing};
    Delivered delivered;
    try {
      delivered = RealChain.run(e.policies(), outgoing, connection, o -> deliver(o, last));
    } catch (SendRefusedException refusal) {
      lastReport = refusedReport(e, last[0], refusal);
      fire(TransportEvent.MESSAGE_NOT_DELIVERED, lastReport, message);
      notifyRefused(listeners, lastReport, refusal);
      log.info("app={} refused a message: {}", e.config().app(), refusal.getReason().code());
      throw refusal;
    } catch (SendFailedException failure) {
      lastReport = failedReport(e, last[0], failure);
      fire(lastReport.accepted().isEmpty() ? TransportEvent.MESSAGE_NOT_DELIVERED
          : TransportEvent.MESSAGE_PARTIALLY_DELIVERED, lastReport, message);
      notifyFailed(listeners, lastReport, failure);
      log.info("app={} the server refused {} of {} recipients ({})", e.config().app(),
          lastReport.refusedByServer().size() + lastReport.unsent().size(), last[0].recipients().size(),
          failure.getClass().getSimpleName());
      throw withDropped(last[0], failure);
    } catch (MessagingException | RuntimeException failure) {
      lastReport = report(e, last[0], List.of(), List.of(), last[0].recipients());
      fire(TransportEvent.MESSAGE_NOT_DELIVERED, lastReport, message);
      if (failure instanceof MessagingException m) {
        notifyFailed(listeners, lastReport, m);
      }
      log.info("app={} delivery failed: {}", e.config().app(), failure.getClass().getSimpleName());
      throw failure;
    }
    Outgoing done = delivered.outgoing();
    lastReport = delivered.report(e.config().app()); // built once, shared with the suppression policy
    if (!done.dropped().isEmpty()) {
      RecipientRejectedException partial = new RecipientRejectedException(done.dropped(),
          delivered.accepted().toArray(new Address[0]), new Address[0]);
      fire(TransportEvent.MESSAGE_PARTIALLY_DELIVERED, lastReport, message);
      notifyRefused(listeners, lastReport, partial);
      log.info("app={} sent to {}, dropped {}", e.config().app(),
          Masking.addresses(delivered.accepted(), show), describe(done.dropped(), show));
      throw partial;
    }
    fire(TransportEvent.MESSAGE_DELIVERED, lastReport, message);
    SendReport report = lastReport;
    for (MailwardenListener l : listeners) {
      safely(() -> l.sent(report));
    }
    if (log.isDebugEnabled()) {
      log.debug("app={} sent to {} ({})", e.config().app(),
          Masking.addresses(delivered.accepted(), show), report.dsnParameters().orElse("no DSN"));
    }
  }

  /**
   * The last link of the chain. A connection that carried {@code pool.max-messages-per-connection}
   * is replaced first. A send that lost its connection before the server answered DATA (so the server
   * cannot have accepted the message) is sent once more on a fresh connection; any later failure,
   * the final dot included, is passed on as it is, so a message is never delivered twice.
   */
  private Delivered deliver(Outgoing outgoing, Outgoing[] last) throws MessagingException {
    last[0] = outgoing;
    if (lease == null) {
      throw new IllegalStateException("not connected");
    }
    if (lease.isExhausted()) {
      renewLease();
    }
    try {
      sendOnLease(outgoing);
    } catch (MessagingException failure) {
      if (!lease.transport().droppedBeforeData(failure)) {
        leaseFailed = true;
        throw failure;
      }
      log.info("app={} lost the connection to {} before the message data ({}); sending once more on a "
          + "fresh connection", engine().config().app(), engine().serverName(lease.transport().getURLName()),
          Masking.text(failure.getMessage(), engine().config().showAddresses()));
      renewLease();
      try {
        sendOnLease(outgoing);
      } catch (MessagingException again) {
        leaseFailed = true;
        again.addSuppressed(failure);
        throw again;
      }
    }
    return new Delivered(outgoing, outgoing.recipients(), List.of(), List.of());
  }

  private void sendOnLease(Outgoing outgoing) throws MessagingException {
    DsnSmtpTransport d = lease.transport();
    lease.countMessage();
    d.setDsn(outgoing.dsn());
    try {
      d.sendMessage(outgoing.message(), outgoing.recipientArray());
    } finally {
      d.setDsn(DsnRequest.NONE);
    }
  }

  /** Replaces the leased connection with a fresh one; on failure this transport holds none. */
  private void renewLease() throws MessagingException {
    ConnectionPool.Connection old = lease;
    lease = null;
    lease = engine().pool().replace(old);
    leaseFailed = false;
  }

  private Engine engine() {
    if (engine == null) {
      engine = Engine.of(session);
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

  private static SendReport report(Engine e, Outgoing o, List<? extends Address> accepted,
      List<? extends Address> refusedByServer, List<? extends Address> unsent) {
    DsnRequest dsn = o.dsn();
    return new SendReport(e.config().app(), dsn.envid(), MessageIds.of(o.message()),
        dsn.isRequested() ? dsn.describe() : null, new ArrayList<>(accepted), o.dropped(),
        new ArrayList<>(refusedByServer), new ArrayList<>(unsent));
  }

  private static SendReport refusedReport(Engine e, Outgoing o, SendRefusedException refusal) {
    List<RejectedRecipient> refused = new ArrayList<>(o.dropped());
    if (refusal instanceof RecipientRejectedException r) {
      refused.addAll(r.getRejections());
    }
    Outgoing withRefused = o.dropping(o.recipients(), refused.subList(o.dropped().size(), refused.size()));
    return report(e, withRefused.withDsn(DsnRequest.NONE), List.of(), List.of(),
        Arrays.asList(refusal.getValidUnsentAddresses()));
  }

  /**
   * The report of a send the server failed. Angus reports some failures with no recipient lists at all
   * (an {@code SMTPAddressFailedException} for a connection lost at {@code RCPT TO}); a recipient in
   * none of the three lists was not sent to, so the report lists it as unsent.
   */
  private static SendReport failedReport(Engine e, Outgoing o, SendFailedException failure) {
    List<Address> sent = list(failure.getValidSentAddresses());
    List<Address> invalid = list(failure.getInvalidAddresses());
    List<Address> unsent = new ArrayList<>(list(failure.getValidUnsentAddresses()));
    for (InternetAddress r : o.recipients()) {
      if (!sent.contains(r) && !invalid.contains(r) && !unsent.contains(r)) {
        unsent.add(r);
      }
    }
    return report(e, o, sent, invalid, unsent);
  }

  /** Passes the server's failure on; when recipients were also dropped, says so in the same exception. */
  private static MessagingException withDropped(Outgoing o, SendFailedException failure) {
    if (o.dropped().isEmpty()) {
      return failure;
    }
    RecipientRejectedException r = new RecipientRejectedException(o.dropped(),
        failure.getValidSentAddresses(), failure.getValidUnsentAddresses());
    r.setNextException(failure);
    return r;
  }

  private static List<Address> list(Address[] addresses) {
    return addresses == null ? List.of() : Arrays.asList(addresses);
  }

  private void fire(int type, SendReport report, Message message) {
    if (!listened) {
      return; // no transport listener: Jakarta Mail would drop the event anyway
    }
    Address[] invalid = new Address[report.refused().size() + report.refusedByServer().size()];
    int i = 0;
    for (RejectedRecipient r : report.refused()) {
      invalid[i++] = r.address();
    }
    for (Address a : report.refusedByServer()) {
      invalid[i++] = a;
    }
    notifyTransportListeners(type, report.accepted().toArray(new Address[0]),
        report.unsent().toArray(new Address[0]), invalid, message);
  }

  private static void notifyRefused(List<MailwardenListener> listeners, SendReport report,
      SendRefusedException refusal) {
    for (MailwardenListener l : listeners) {
      safely(() -> l.refused(report, refusal));
    }
  }

  private static void notifyFailed(List<MailwardenListener> listeners, SendReport report,
      MessagingException failure) {
    for (MailwardenListener l : listeners) {
      safely(() -> l.failed(report, failure));
    }
  }

  private static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("A MailwardenListener threw; ignored", e);
    }
  }

  private static String describe(List<RejectedRecipient> rejected, boolean show) {
    StringBuilder sb = new StringBuilder("[");
    for (RejectedRecipient r : rejected) {
      sb.append(sb.length() > 1 ? ", " : "").append(Masking.address(r.address(), show)).append('=')
          .append(r.reason().code());
    }
    return sb.append(']').toString();
  }
}
