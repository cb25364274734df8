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
import org.slf4j.spi.LoggingEventBuilder;

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
      outcome(sends.atDebug(), report, "sent", null)
          .log("app={} sent to {} ({})", app, Masking.addresses(report.accepted(), showAddresses),
              report.dsnParameters().orElse("no DSN"));
    }
  }

  /** A refusal of the whole message, or (when some recipients were accepted) of the dropped ones. */
  @Override
  public void refused(SendReport report, SendRefusedException refusal) {
    if (report.accepted().isEmpty()) {
      outcome(sends.atInfo(), report, "refused", refusal.getReason().code())
          .log("app={} refused a message: {}", app, refusal.getReason().code());
    } else {
      outcome(sends.atInfo(), report, "partially-sent", refusal.getReason().code())
          .log("app={} sent to {}, dropped {}", app, Masking.addresses(report.accepted(), showAddresses),
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
      outcome(sends.atInfo(), report, "failed", failure.getClass().getSimpleName())
          .log("app={} the server refused {} of {} recipients ({})", app, notSent,
              report.accepted().size() + notSent, failure.getClass().getSimpleName());
    } else {
      outcome(sends.atInfo(), report, "failed", failure.getClass().getSimpleName())
          .log("app={} delivery failed: {}", app, failure.getClass().getSimpleName());
    }
  }

  @Override
  public void failedUnchecked(SendReport report, RuntimeException failure) {
    outcome(sends.atInfo(), report, "failed", failure.getClass().getSimpleName())
        .log("app={} delivery failed: {}", app, failure.getClass().getSimpleName());
  }

  @Override
  public void retrying(String app, String server, MessagingException failure) {
    sends.atInfo().addKeyValue("mailwarden.app", app).addKeyValue("mailwarden.server", server)
        .addKeyValue("mailwarden.outcome", "retrying")
        .log("app={} lost the connection to {} before the message data ({}); sending once more on a "
            + "fresh connection", app, server, Masking.text(failure.getMessage(), showAddresses));
  }

  @Override
  public void reputationChanged(Reputation r) {
    switch (r.state()) {
      case PAUSED -> reputation(reputation.atError(), r).log("app={} is paused by the reputation guard: {}", app, r);
      case WARNING -> reputation(reputation.atWarn(), r).log("app={} reputation warning: {}", app, r);
      case OK -> reputation(reputation.atInfo(), r).log("app={} reputation back to ok: {}", app, r);
    }
  }

  /**
   * Adds the key-values of a send outcome, for structured output (ECS, logstash): {@code
   * mailwarden.app}, {@code mailwarden.outcome}, {@code mailwarden.reason} (a refusal reason code or
   * the failure's class), the counts of accepted and refused recipients, and the ENVID and Message-ID
   * when there are any. Addresses are never key-values: they are personal data.
   */
  private LoggingEventBuilder outcome(LoggingEventBuilder event, SendReport report, String outcome,
      String reason) {
    event = event.addKeyValue("mailwarden.app", app).addKeyValue("mailwarden.outcome", outcome);
    if (reason != null) {
      event = event.addKeyValue("mailwarden.reason", reason);
    }
    event = event.addKeyValue("mailwarden.accepted", report.accepted().size())
        .addKeyValue("mailwarden.refused", report.refused().size() + report.refusedByServer().size());
    if (report.envelopeId().isPresent()) {
      event = event.addKeyValue("mailwarden.envid", report.envelopeId().get());
    }
    if (report.messageId().isPresent()) {
      event = event.addKeyValue("mailwarden.message-id", report.messageId().get());
    }
    return event;
  }

  private LoggingEventBuilder reputation(LoggingEventBuilder event, Reputation r) {
    return event.addKeyValue("mailwarden.app", app).addKeyValue("mailwarden.reputation", r.state().code())
        .addKeyValue("mailwarden.sends", r.sends()).addKeyValue("mailwarden.bounces", r.bounces())
        .addKeyValue("mailwarden.complaints", r.complaints());
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
