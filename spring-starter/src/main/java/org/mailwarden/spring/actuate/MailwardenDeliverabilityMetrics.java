package org.mailwarden.spring.actuate;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.mailwarden.GuardedTransport;
import org.mailwarden.suppression.Reputation;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Meters of a mail sender's deliverability state, tagged {@code app}. Reading them opens no SMTP
 * connection.
 * <ul>
 * <li>{@code mailwarden.suppression.size}: a gauge, about how many addresses are on the suppression
 * list now; the memory and file stores count without listing (the Redis store still scans its keys);</li>
 * <li>{@code mailwarden.reputation.state}, tagged {@code state} ({@code ok}, {@code warning},
 * {@code paused}): gauges, 1 for the guard's current state and 0 for the others;</li>
 * <li>{@code mailwarden.reputation.bounce.rate} and {@code mailwarden.reputation.complaint.rate}:
 * gauges, hard bounces and complaints per send within the guard's window (a fraction, 0 to 1);</li>
 * <li>only when {@code mailwarden.recipients.check-mx} is on, function counters of the DNS checks:
 * {@code mailwarden.dns.lookups} (domains looked up), {@code mailwarden.dns.cache.hits} (checks
 * answered without a new lookup) and {@code mailwarden.dns.failures} (lookups that ended in a DNS
 * failure).</li>
 * </ul>
 */
public class MailwardenDeliverabilityMetrics implements MeterBinder {

  private final GuardedSession session;

  /**
   * Creates the binder.
   * @param mailSender the sender whose session Mailwarden guards
   */
  public MailwardenDeliverabilityMetrics(JavaMailSenderImpl mailSender) {
    this.session = new GuardedSession(mailSender);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    GuardedTransport transport = this.session.transport();
    String app = transport.effectivePolicies().get("app");
    Gauge.builder("mailwarden.suppression.size", transport, (t) -> t.suppressions().size())
      .description("Addresses on the suppression list")
      .tag("app", app)
      .strongReference(true)
      .register(registry);
    for (Reputation.State state : Reputation.State.values()) {
      Gauge.builder("mailwarden.reputation.state", transport, (t) -> (t.reputation().status().state() == state) ? 1 : 0)
        .description("1 for the reputation guard's current state, 0 for the others")
        .tag("app", app)
        .tag("state", state.code())
        .strongReference(true)
        .register(registry);
    }
    Gauge.builder("mailwarden.reputation.bounce.rate", transport, (t) -> t.reputation().status().bounceRate())
      .description("Hard bounces per send within the reputation window")
      .tag("app", app)
      .strongReference(true)
      .register(registry);
    Gauge.builder("mailwarden.reputation.complaint.rate", transport, (t) -> t.reputation().status().complaintRate())
      .description("Complaints per send within the reputation window")
      .tag("app", app)
      .strongReference(true)
      .register(registry);
    if (transport.dnsCounters().isPresent()) {
      dnsCounter(registry, transport, app, "mailwarden.dns.lookups", "lookups",
          "Recipient domains looked up in DNS");
      dnsCounter(registry, transport, app, "mailwarden.dns.cache.hits", "cache-hits",
          "Recipient domain checks answered without a new DNS lookup");
      dnsCounter(registry, transport, app, "mailwarden.dns.failures", "failures",
          "DNS lookups that failed (timeout, SERVFAIL, REFUSED, network error)");
    }
  }

  private static void dnsCounter(MeterRegistry registry, GuardedTransport transport, String app, String name,
      String counter, String description) {
    FunctionCounter.builder(name, transport, (t) -> t.dnsCounters().map((c) -> c.get(counter)).orElse(0L))
      .description(description)
      .tag("app", app)
      .register(registry);
  }

}
