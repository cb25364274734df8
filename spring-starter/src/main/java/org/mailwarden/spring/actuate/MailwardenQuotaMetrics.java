package org.mailwarden.spring.actuate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.mailwarden.GuardedTransport;
import org.mailwarden.QuotaUsage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Gauges of a mail sender's quotas, tagged {@code app} and {@code limit} (the limit's key, for example
 * {@code limit.messages-per-minute}): {@code mailwarden.quota.available}, the tokens left now (negative
 * when a large message left the bucket in debt), and {@code mailwarden.quota.capacity}. Reading them
 * opens no SMTP connection and uses no quota.
 */
public class MailwardenQuotaMetrics implements MeterBinder {

  private final GuardedSession session;

  /**
   * Creates the binder.
   * @param mailSender the sender whose session Mailwarden guards
   */
  public MailwardenQuotaMetrics(JavaMailSenderImpl mailSender) {
    this.session = new GuardedSession(mailSender);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    GuardedTransport transport = this.session.transport();
    String app = transport.effectivePolicies().get("app");
    for (QuotaUsage quota : transport.quotaUsage()) {
      String limit = quota.limit();
      Gauge.builder("mailwarden.quota.available", transport, (t) -> available(t, limit))
        .description("Quota tokens left now")
        .tag("app", app)
        .tag("limit", limit)
        .strongReference(true)
        .register(registry);
      Gauge.builder("mailwarden.quota.capacity", quota, QuotaUsage::capacity)
        .description("Quota tokens per period")
        .tag("app", app)
        .tag("limit", limit)
        .strongReference(true)
        .register(registry);
    }
  }

  private static double available(GuardedTransport transport, String limit) {
    for (QuotaUsage quota : transport.quotaUsage()) {
      if (quota.limit().equals(limit)) {
        return quota.available();
      }
    }
    return Double.NaN;
  }

}
