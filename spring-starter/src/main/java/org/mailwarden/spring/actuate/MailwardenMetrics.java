package org.mailwarden.spring.actuate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailwarden.MailwardenListener;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.WouldBeRefusal;
import jakarta.mail.MessagingException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * A {@link MailwardenListener} that records what Mailwarden does as Micrometer meters, each tagged
 * with the application name {@code app} and the message's tenant ({@code tenant}, with a bounded number
 * of values, see {@link TenantTags}):
 * <ul>
 * <li>{@code mailwarden.messages.sent}: messages the server accepted for at least one recipient;</li>
 * <li>{@code mailwarden.messages.refused}, tagged {@code reason} (a {@code RefusalReason} code such as
 * {@code quota-exceeded}): messages a policy refused, whole or in part (a message sent to the valid
 * rest after invalid recipients were dropped counts here and as sent), and {@code mode}:
 * {@code enforce} for a refusal, {@code report-only} for a refusal that {@code mailwarden.mode=report-only}
 * decided but did not enforce (the message was sent);</li>
 * <li>{@code mailwarden.messages.failed}: messages the server or the network failed;</li>
 * <li>{@code mailwarden.server.dsn}, tagged {@code server} ({@code host:port}): a gauge, 1 when the
 * server advertised DSN at the last connection, 0 when it did not; at most
 * {@value #MAX_SERVERS} servers are tracked.</li>
 * </ul>
 * The counters of each guarded sender's application are registered at start-up, at 0 (refusals once
 * per reason), so a dashboard or an alert sees them before the first event. Every meter's tags come
 * from {@link #tags(String)}, the one place a tag common to all of them is added.
 */
public class MailwardenMetrics implements MailwardenListener {

  /** The most servers tracked by the {@code mailwarden.server.dsn} gauge. */
  public static final int MAX_SERVERS = 64;

  private final MeterRegistry registry;

  private final Map<String, AtomicInteger> dsn = new ConcurrentHashMap<>();

  private final TenantTags tenants;

  /**
   * Creates the listener; the first {@value TenantTags#DEFAULT_MAX_TAGS} tenants seen get their own
   * {@code tenant} tag value.
   * @param registry where the meters go
   */
  public MailwardenMetrics(MeterRegistry registry) {
    this(registry, new TenantTags(java.util.List.of(), TenantTags.DEFAULT_MAX_TAGS));
  }

  /**
   * Creates the listener.
   * @param registry where the meters go
   * @param tenants the values of the {@code tenant} tag
   */
  public MailwardenMetrics(MeterRegistry registry, TenantTags tenants) {
    this.registry = registry;
    this.tenants = tenants;
  }

  /**
   * Registers the counters of a sender's application at 0, so that they exist before the first
   * event.
   * @param sender a sender that Mailwarden guards
   */
  public void registerSender(JavaMailSenderImpl sender) {
    String app = new GuardedSession(sender).transport().effectivePolicies().get("app");
    sent(app, TenantTags.NONE);
    failed(app, TenantTags.NONE);
    for (RefusalReason reason : RefusalReason.values()) {
      refused(app, TenantTags.NONE, reason.code(), "enforce");
    }
  }

  @Override
  public void sent(SendReport report) {
    sent(report.app(), this.tenants.of(report.tenant())).increment();
  }

  @Override
  public void refused(SendReport report, SendRefusedException refusal) {
    refused(report.app(), this.tenants.of(report.tenant()), refusal.getReason().code(), "enforce").increment();
    if (refusal.isPartiallySent()) {
      sent(report);
    }
  }

  @Override
  public void wouldRefuse(SendReport report, WouldBeRefusal refusal) {
    refused(report.app(), this.tenants.of(report.tenant()), refusal.reason().code(), "report-only").increment();
  }

  @Override
  public void failed(SendReport report, MessagingException failure) {
    failed(report.app(), this.tenants.of(report.tenant())).increment();
  }

  /**
   * Returns the tags of every meter of an application.
   * @param app the application name
   * @return the tags, {@code app} first
   */
  protected Tags tags(String app) {
    return Tags.of("app", app);
  }

  private Counter sent(String app, String tenant) {
    return Counter.builder("mailwarden.messages.sent")
      .description("Messages the server accepted")
      .tags(tags(app))
      .tag("tenant", tenant)
      .register(this.registry);
  }

  private Counter failed(String app, String tenant) {
    return Counter.builder("mailwarden.messages.failed")
      .description("Messages the server or the network failed")
      .tags(tags(app))
      .tag("tenant", tenant)
      .register(this.registry);
  }

  private Counter refused(String app, String tenant, String reason, String mode) {
    return Counter.builder("mailwarden.messages.refused")
      .description("Messages a Mailwarden policy refused, whole or in part (mode=report-only: would have refused)")
      .tags(tags(app))
      .tag("tenant", tenant)
      .tag("reason", reason)
      .tag("mode", mode)
      .register(this.registry);
  }

  @Override
  public void connected(String app, String server, boolean dsnSupported) {
    String key = app + '\n' + server;
    AtomicInteger value = this.dsn.get(key);
    if (value == null) {
      if (this.dsn.size() >= MAX_SERVERS) {
        return;
      }
      value = this.dsn.computeIfAbsent(key, (k) -> {
        AtomicInteger created = new AtomicInteger();
        Gauge.builder("mailwarden.server.dsn", created, AtomicInteger::get)
          .description("1 when the server advertised DSN (RFC 3461) at the last connection, 0 when not")
          .tags(tags(app))
          .tag("server", server)
          .register(this.registry);
        return created;
      });
    }
    value.set(dsnSupported ? 1 : 0);
  }

}
