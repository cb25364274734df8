package org.mailwarden;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.suppression.ReputationGuard;
import org.mailwarden.suppression.SuppressionList;

/**
 * Implemented by the {@code mailwarden} transport. Code that holds a {@code Transport} from
 * {@code session.getTransport()} can cast it to learn what happened to the last message it sent.
 */
public interface GuardedTransport {
  /**
   * Returns the report of the last message this transport was asked to send, refused ones included;
   * empty before the first. A transport is used by one thread at a time, as Jakarta Mail requires.
   */
  Optional<SendReport> lastReport();

  /**
   * Parses the session's {@code mail.mailwarden.*} keys now instead of at the first send, so that a
   * misconfiguration fails at start-up.
   *
   * @throws MailwardenConfigurationException naming the first unknown key or malformed value
   */
  void checkConfiguration();

  /**
   * Returns the suppression list of this session's application ({@code suppression.*}); shared by
   * every session of the application in the JVM.
   *
   * @throws MailwardenConfigurationException naming the first unknown key or malformed value
   */
  SuppressionList suppressions();

  /**
   * Returns the reputation guard of this session's application ({@code reputation.*}).
   *
   * @throws MailwardenConfigurationException naming the first unknown key or malformed value
   */
  ReputationGuard reputation();

  /**
   * Returns the current state of every quota of this session's application ({@code app}), in the
   * order message limits, recipient limits, per-domain limits; empty when every limit is off. Reading
   * never uses quota and needs no connection. Quotas are shared by every session with the same
   * {@code app}, so the figures include their sends. Safe to call from any thread.
   *
   * @throws MailwardenConfigurationException when a {@code mail.mailwarden.*} key is malformed
   */
  List<QuotaUsage> quotaUsage();

  /**
   * Returns the policies this session applies, defaults included, as configuration keys without
   * prefix mapped to their effective values (for example {@code dsn.ret=HDRS},
   * {@code limit.recipients-per-second=14}); limits that are off are left out. For display only: the
   * iteration order is stable but the value formats are not a contract. Safe to call from any thread.
   *
   * @throws MailwardenConfigurationException when a {@code mail.mailwarden.*} key is malformed
   */
  Map<String, String> effectivePolicies();

  /**
   * Returns the counters of this session's recipient domain checks in DNS
   * ({@code recipients.check-mx}), for metrics: {@code lookups} (domains looked up in DNS),
   * {@code cache-hits} (checks answered without a new lookup) and {@code failures} (lookups that
   * ended in a DNS failure), in that order. The counters only grow; each call returns a new snapshot.
   * Empty when {@code recipients.check-mx} is off. Safe to call from any thread.
   *
   * @throws MailwardenConfigurationException when a {@code mail.mailwarden.*} key is malformed
   */
  Optional<Map<String, Long>> dnsCounters();

  /**
   * Checks the store of this session's application ({@code store}): one bounded request to a shared
   * store (a Redis {@code PING} within {@code redis.timeout}); nothing for the local store. Never
   * throws for an unreachable store: it reports it. For health checks.
   *
   * @throws MailwardenConfigurationException when a {@code mail.mailwarden.*} key is malformed
   */
  StoreHealth storeHealth();
}
