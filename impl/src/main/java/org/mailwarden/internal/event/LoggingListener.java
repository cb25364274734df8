package org.mailwarden.internal.event;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.util.List;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.WouldBeRefusal;
import org.mailwarden.internal.util.Masking;
import org.mailwarden.suppression.Reputation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what happens to each send through SLF4J, recipient addresses masked unless
 * {@code log.show-addresses} is on: outcomes at {@code INFO} (a plain success at {@code DEBUG}),
 * reputation changes at the level of the new state. The loggers keep the names they had when these
 * lines were written inline, so that existing logging configuration still applies.
 */
public final class LoggingListener implements EngineListener {
  private static final Logger sends = LoggerFactory.getLogger("org.mailwarden.transport.MailwardenTransport");
  private static final Logger reputation =
      LoggerFactory.getLogger("org.mailwarden.internal.suppression.Deliverability");

  private final String app;
  private final boolean showAddresses;

  /**
   * @param app the application name, the label of every line
   * @param showAddresses whether full recipient addresses may be logged
   */
  public LoggingListener(String app, boolean showAddresses) {
    this.app = app;
    this.showAddresses = showAddresses;
  }

  @Override
  public void sent(SendReport report) {
    if (sends.isDebugEnabled()) {
      sends.debug("app={} sent to {} ({})", app, Masking.addresses(report.accepted(), showAddresses),
          report.dsnParameters().orElse("no DSN"));
    }
  }

  /** A refusal of the whole message, or (when some recipients were accepted) of the dropped ones. */
  @Override
  public void refused(SendReport report, SendRefusedException refusal) {
    if (report.accepted().isEmpty()) {
      sends.info("app={} refused a message: {}", app, refusal.getReason().code());
    } else {
      sends.info("app={} sent to {}, dropped {}", app, Masking.addresses(report.accepted(), showAddresses),
          describe(report.refused()));
    }
  }

  /** Report-only: what would have been refused, at {@code WARN} so it stands out as the refusal would. */
  @Override
  public void wouldRefuse(SendReport report, WouldBeRefusal refusal) {
    sends.warn("app={}{} would refuse a message (mode=report-only, sent anyway): {}: {}{}", app,
        report.tenant().map(t -> " tenant=" + t).orElse(""), refusal.reason().code(),
        Masking.text(refusal.detail(), showAddresses),
        refusal.recipients().isEmpty() ? "" : " (" + describe(refusal.recipients()) + ")");
  }

  @Override
  public void failed(SendReport report, MessagingException failure) {
    if (failure instanceof SendFailedException) {
      int notSent = report.refusedByServer().size() + report.unsent().size();
      sends.info("app={} the server refused {} of {} recipients ({})", app, notSent,
          report.accepted().size() + notSent, failure.getClass().getSimpleName());
    } else {
      sends.info("app={} delivery failed: {}", app, failure.getClass().getSimpleName());
    }
  }

  @Override
  public void failedUnchecked(SendReport report, RuntimeException failure) {
    sends.info("app={} delivery failed: {}", app, failure.getClass().getSimpleName());
  }

  @Override
  public void retrying(String app, String server, MessagingException failure) {
    sends.info("app={} lost the connection to {} before the message data ({}); sending once more on a "
        + "fresh connection", app, server, Masking.text(failure.getMessage(), showAddresses));
  }

  @Override
  public void reputationChanged(Reputation r) {
    switch (r.state()) {
      case PAUSED -> reputation.error("app={} is paused by the reputation guard: {}", app, r);
      case WARNING -> reputation.warn("app={} reputation warning: {}", app, r);
      case OK -> reputation.info("app={} reputation back to ok: {}", app, r);
    }
  }

  private String describe(List<RejectedRecipient> rejected) {
    StringBuilder sb = new StringBuilder("[");
    for (RejectedRecipient r : rejected) {
      sb.append(sb.length() > 1 ? ", " : "").append(Masking.address(r.address(), showAddresses)).append('=')
          .append(r.reason().code());
    }
    return sb.append(']').toString();
  }

  @Override
  public String toString() {
    return "LoggingListener{app=" + app + '}';
  }
}
