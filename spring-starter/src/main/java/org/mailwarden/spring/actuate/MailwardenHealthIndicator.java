package org.mailwarden.spring.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailwarden.GuardedTransport;
import org.mailwarden.QuotaUsage;
import org.mailwarden.StoreHealth;
import org.mailwarden.suppression.Reputation;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Reports the state of Mailwarden's policies for a mail sender, without opening an SMTP connection
 * (Spring Boot's {@code mail} indicator checks the server).
 *
 * <p>The status is {@code UP} while the configuration is valid and the quotas can be read, even
 * when a quota is used up: an exhausted quota is the policy working, and taking the whole
 * application out of service for it would turn a mail limit into an outage. The status is
 * {@code OUT_OF_SERVICE} while the reputation guard has paused sending: then every send is refused
 * until an operator resumes it (or, with {@code reputation.resume=auto}, the rates recover), which is
 * a real outage of mail. The details name the application, each quota as {@code used/capacity}, the
 * quotas that are exhausted, and the reputation ({@code state}, {@code sends}, {@code bounces},
 * {@code complaints} within the window). With a shared store ({@code mailwarden.store=redis}) the
 * store is checked first with one bounded request: when it does not answer the status is
 * {@code DOWN} if sends are refused meanwhile ({@code store.on-failure=refuse}, the default), and
 * {@code UP} with the store's state in the details if they fall back to local limits. The status is
 * {@code DOWN}, with the exception, when the state cannot be read (a bad configuration).
 */
public class MailwardenHealthIndicator extends AbstractHealthIndicator {

  private final GuardedSession session;

  /**
   * Creates the indicator.
   * @param mailSender the sender whose session Mailwarden guards
   */
  public MailwardenHealthIndicator(JavaMailSenderImpl mailSender) {
    super("Mailwarden health check failed");
    this.session = new GuardedSession(mailSender);
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    GuardedTransport transport = this.session.transport();
    StoreHealth store = transport.storeHealth();
    if (store.shared()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("name", store.store());
      details.put("reachable", store.reachable());
      details.put("latency-ms", store.latency().toMillis());
      details.put("detail", store.detail());
      builder.withDetail("store", details);
      if (!store.reachable()) {
        // the quotas live in the store: do not read them while it does not answer
        builder.withDetail("app", transport.effectivePolicies().get("app"));
        if (store.fallsBackToLocal()) {
          builder.up().withDetail("degraded", "shared store unreachable: local limits apply");
        }
        else {
          builder.down();
        }
        return;
      }
    }
    List<QuotaUsage> usage = transport.quotaUsage();
    Map<String, String> quotas = new LinkedHashMap<>();
    usage.forEach((quota) -> quotas.put(quota.limit(), quota.used() + "/" + quota.capacity()));
    Reputation reputation = transport.reputation().status();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("state", reputation.state().code());
    figures.put("sends", reputation.sends());
    figures.put("bounces", reputation.bounces());
    figures.put("complaints", reputation.complaints());
    if (reputation.state() == Reputation.State.PAUSED) {
      builder.outOfService();
    }
    else {
      builder.up();
    }
    builder.withDetail("app", transport.effectivePolicies().get("app"))
      .withDetail("reputation", figures)
      .withDetail("quotas", quotas)
      .withDetail("exhausted", usage.stream().filter(QuotaUsage::isExhausted).map(QuotaUsage::limit).toList());
  }

}
