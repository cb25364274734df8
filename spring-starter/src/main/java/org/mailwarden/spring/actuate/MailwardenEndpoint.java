package org.mailwarden.spring.actuate;

import java.util.List;
import java.util.Map;
import org.mailwarden.GuardedTransport;
import org.mailwarden.QuotaUsage;
import org.mailwarden.suppression.Reputation;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@link Endpoint @Endpoint} {@code mailwarden}: the effective policies of the mail sender's session
 * (defaults included), the current use of each quota, the size of the suppression list and the state
 * of the reputation guard, with the tenants it has paused. Reading it opens no SMTP connection and uses
 * no quota.
 */
@Endpoint(id = "mailwarden")
public class MailwardenEndpoint {

  private final GuardedSession session;

  /**
   * Creates the endpoint.
   * @param mailSender the sender whose session Mailwarden guards
   */
  public MailwardenEndpoint(JavaMailSenderImpl mailSender) {
    this.session = new GuardedSession(mailSender);
  }

  /**
   * Returns the policies and quotas.
   * @return the descriptor
   */
  @ReadOperation
  public MailwardenDescriptor mailwarden() {
    GuardedTransport transport = this.session.transport();
    Map<String, String> policies = transport.effectivePolicies();
    List<Quota> quotas = transport.quotaUsage().stream().map(Quota::of).toList();
    return new MailwardenDescriptor(policies.get("app"), policies, quotas,
        new Suppressions(Math.toIntExact(transport.suppressions().size())), ReputationStatus.of(transport.reputation().status(), transport.reputation().pausedTenants()));
  }

  /**
   * Description of Mailwarden's state.
   * @param app the application name
   * @param policies the effective policies, keys without prefix
   * @param quotas the quotas of the application
   * @param suppression the suppression list of the application
   * @param reputation the state of the application's reputation guard
   */
  public record MailwardenDescriptor(String app, Map<String, String> policies, List<Quota> quotas,
      Suppressions suppression, ReputationStatus reputation) implements OperationResponseBody {
  }

  /**
   * The suppression list.
   * @param size addresses on the list now
   */
  public record Suppressions(int size) {
  }

  /**
   * The reputation guard's figures over its window.
   * @param state {@code ok}, {@code warning} or {@code paused} (sends are refused)
   * @param sends recipients handed to the server within the window
   * @param bounces hard bounces within the window
   * @param complaints complaints within the window
   * @param bounceRate hard bounces per send, 0 to 1
   * @param complaintRate complaints per send, 0 to 1
   * @param pausedTenants the tenants whose own rates paused them (their sends are refused), by name
   */
  public record ReputationStatus(String state, long sends, long bounces, long complaints, double bounceRate,
      double complaintRate, List<String> pausedTenants) {

    static ReputationStatus of(Reputation reputation, java.util.Set<String> pausedTenants) {
      return new ReputationStatus(reputation.state().code(), reputation.sends(), reputation.bounces(),
          reputation.complaints(), reputation.bounceRate(), reputation.complaintRate(),
          pausedTenants.stream().sorted().toList());
    }

  }

  /**
   * One quota.
   * @param limit the limit's key, for example {@code limit.messages-per-minute}
   * @param capacity tokens per period
   * @param used tokens used now (above capacity when in debt)
   * @param available tokens left now
   * @param period the period, ISO-8601 ({@code PT1M})
   * @param exhausted whether no token is left
   */
  public record Quota(String limit, long capacity, long used, long available, String period, boolean exhausted) {

    static Quota of(QuotaUsage usage) {
      return new Quota(usage.limit(), usage.capacity(), usage.used(), usage.available(), usage.period().toString(),
          usage.isExhausted());
    }

  }

}
