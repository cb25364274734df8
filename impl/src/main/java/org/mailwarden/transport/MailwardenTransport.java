package org.mailwarden.transport;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.event.ConnectionEvent;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.chain.RealChain;
import org.mailwarden.internal.smtp.DsnSmtpTransport;
import org.mailwarden.internal.util.Masking;
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

  private Engine engine;
  private DsnSmtpTransport delegate;
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

  /**
   * Connects the delegate. The host, port, user and password are handed to it unchanged, so an
   * unset host is resolved by the delegate itself ({@code mail.smtp.host}, then {@code mail.host}).
   */
  @Override
  public synchronized void connect(String host, int port, String user, String password)
      throws MessagingException {
    if (isConnected()) {
      throw new IllegalStateException("already connected");
    }
    Engine e = engine();
    DsnSmtpTransport d = e.newDelegate();
    d.connect(host, port, user, password);
    delegate = d;
    setURLName(new URLName(getURLName().getProtocol(), host, port, null, user, null));
    setConnected(true);
    notifyConnectionListeners(ConnectionEvent.OPENED);
    if (!e.config().listeners().isEmpty()) {
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

  @Override
  public synchronized boolean isConnected() {
    return delegate != null && super.isConnected() && delegate.isConnected();
  }

  @Override
  public synchronized void close() throws MessagingException {
    DsnSmtpTransport d = delegate;
    delegate = null;
    try {
      if (d != null) {
        d.close();
      }
    } finally {
      super.close();
    }
  }

  @Override
  public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
    if (delegate == null) {
      throw new IllegalStateException("not connected");
    }
    Engine e = engine();
    List<MailwardenListener> listeners = e.config().listeners();
    boolean show = e.config().showAddresses();
    List<InternetAddress> recipients = internetAddresses(message, addresses == null ? new Address[0] : addresses);
    Outgoing outgoing = Outgoing.of(message, envelopeFrom(message, e), recipients);
    String server = e.serverName(delegate.getURLName());
    Policy.Connection connection = new Policy.Connection() {
      @Override
      public String server() {
        return server;
      }

      @Override
      public boolean supportsExtension(String extension) {
        return delegate.supportsExtension(extension);
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
    lastReport = report(e, done, delivered.accepted(), delivered.refused(), delivered.unsent());
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
    log.debug("app={} sent to {} ({})", e.config().app(),
        Masking.addresses(delivered.accepted(), show), report.dsnParameters().orElse("no DSN"));
  }

  private Delivered deliver(Outgoing outgoing, Outgoing[] last) throws MessagingException {
    last[0] = outgoing;
    delegate.setDsn(outgoing.dsn());
    try {
      delegate.sendMessage(outgoing.message(), outgoing.recipientArray());
    } finally {
      delegate.setDsn(DsnRequest.NONE);
    }
    return new Delivered(outgoing, outgoing.recipients(), List.of(), List.of());
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
  private static String envelopeFrom(Message message, Engine e) throws MessagingException {
    if (message instanceof SMTPMessage smtp && smtp.getEnvelopeFrom() != null
        && !smtp.getEnvelopeFrom().isEmpty()) {
      return smtp.getEnvelopeFrom();
    }
    String configured = e.delegateSession().getProperty("mail." + e.config().delegateProtocol() + ".from");
    if (configured != null && !configured.isEmpty()) {
      return configured;
    }
    try {
      Address[] from = message.getFrom();
      if (from != null && from.length > 0 && from[0] instanceof InternetAddress ia) {
        return ia.getAddress();
      }
    } catch (jakarta.mail.internet.AddressException malformed) {
      // a malformed From header is the header and sender policies' to refuse, with a reason
    }
    return null;
  }

  private static SendReport report(Engine e, Outgoing o, List<? extends Address> accepted,
      List<? extends Address> refusedByServer, List<? extends Address> unsent) {
    String messageId = null;
    try {
      if (o.message() instanceof MimeMessage mime) {
        messageId = mime.getMessageID();
      }
    } catch (MessagingException ignored) {
      // no Message-ID in the report
    }
    DsnRequest dsn = o.dsn();
    return new SendReport(e.config().app(), dsn.envid(), messageId,
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

  private static SendReport failedReport(Engine e, Outgoing o, SendFailedException failure) {
    return report(e, o, list(failure.getValidSentAddresses()), list(failure.getInvalidAddresses()),
        list(failure.getValidUnsentAddresses()));
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
