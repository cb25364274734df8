package org.mailwarden.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailwarden.DelegateProtocol;
import org.mailwarden.DsnNotify;
import org.mailwarden.DsnReturn;
import org.mailwarden.OnInvalidRecipient;
import org.mailwarden.RecipientSyntax;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * Mailwarden's policies, bound from {@code mailwarden.*}. Every key is the Jakarta Mail session key
 * {@code mail.mailwarden.*} of the same name (see the README's policy table), so
 * {@code mailwarden.limit.messages-per-minute} is {@code mail.mailwarden.limit.messages-per-minute}.
 * Values are checked by Mailwarden itself at start-up; an unknown key under {@code mailwarden.} fails
 * start-up too.
 *
 * <p>Every value is null unless it is set, and only values that are set are passed on: Mailwarden's
 * own defaults apply otherwise, so the core is the one source of defaults (the IDE metadata shows
 * them, and a test checks that it agrees with the core). One name differs from the session key:
 * {@code mailwarden.redis.on-failure} is {@code mail.mailwarden.store.on-failure}, because Spring Boot
 * cannot bind {@code mailwarden.store} both as a value and as a group.
 *
 * @param enabled Whether Mailwarden guards the application's mail senders. When false, the starter
 * configures nothing: no guarded sender, no meters, no endpoint, no health indicator.
 * @param app Name of the application: the quota key and the label in logs and metrics. Sessions
 * with the same name in one Spring context share their quotas. When unset,
 * 'spring.application.name', or 'default' when that is unset too.
 * @param delegate Transport underneath Mailwarden. When unset, 'spring.mail.protocol' decides.
 * @param dsn Delivery status notification (RFC 3461) parameters requested on every message
 * @param limit Quotas of the application
 * @param recipients Rules for recipient addresses
 * @param senders Rules for senders
 * @param log What Mailwarden's logs may show
 * @param pool Pooling of SMTP connections, per server and credentials
 * @param dns DNS lookups of recipient domains ('mailwarden.recipients.check-mx')
 * @param suppression Suppression list: addresses that hard-bounced, complained or failed softly too
 * often are not mailed again
 * @param reputation Reputation guard: warns about, then pauses, sending when the hard-bounce or
 * complaint rate of recent sends is too high
 * @param store Where quotas and the suppression list are kept: 'local' (in this JVM) or 'redis'
 * (shared by every instance through 'mailwarden.redis.*'; needs mailwarden-redis on the class path)
 * @param redis Redis connection of 'mailwarden.store=redis'
 * @param sendTimeout Bound on one send, from its start to the server's last reply, retries included;
 * when it passes the connection is closed and the send fails with SendTimeoutException. 0 for none.
 * @param mode Whether refusals are enforced: 'enforce', or 'report-only' (every policy decides as
 * usual, but a message that would be refused is sent anyway and the refusal reported; header and
 * address injection and 'mailwarden.dsn.*' are enforced in every mode)
 * @param tenant Quotas every tenant gets, on top of the application's
 * @param tenants Rules of single tenants, keyed by tenant name:
 * 'mailwarden.tenants.acme.limit.messages-per-minute=10',
 * 'mailwarden.tenants.acme.senders.allow-domains=acme.example'
 * @param streamProvider Jakarta Mail's stream provider (a setting of the starter, not a session key)
 */
@ConfigurationProperties(prefix = "mailwarden", ignoreUnknownFields = false)
public record MailwardenProperties(Boolean enabled, String app, DelegateProtocol delegate, @DefaultValue Dsn dsn,
    @DefaultValue Limit limit, @DefaultValue Recipients recipients, @DefaultValue Senders senders,
    @DefaultValue Log log, @DefaultValue Pool pool, @DefaultValue Dns dns, @DefaultValue Suppression suppression,
    @DefaultValue Reputation reputation, Store store, @DefaultValue Redis redis, Duration sendTimeout,
    org.mailwarden.EnforcementMode mode, @DefaultValue Tenant tenant, Map<String, TenantRules> tenants,
    @DefaultValue StreamProvider streamProvider) {

  /**
   * Delivery Status Notification (RFC 3461) parameters requested on every message.
   * ('notify' is bound to 'notifyOn': a record component cannot be named after Object.notify().)
   * @param notifyOn NOTIFY sent on every recipient: 'NEVER', or a comma-separated list of 'FAILURE',
   * 'DELAY' and 'SUCCESS'. 'SUCCESS' is refused unless 'mailwarden.dsn.allow-success' is true.
   * @param allowSuccess Whether 'mailwarden.dsn.notify' may contain 'SUCCESS' (receipts reveal the
   * delivery path)
   * @param ret RET sent on every message. 'FULL' is refused unless 'mailwarden.dsn.allow-full' is true.
   * @param allowFull Whether 'mailwarden.dsn.ret' may be 'FULL' (bounces then carry the whole message
   * back)
   * @param envid Whether to send a unique ENVID with every message so a bounce can be tied back to its
   * send
   * @param require Whether to refuse sending when the server does not advertise DSN. When false,
   * Mailwarden sends without DSN parameters and logs one warning per server.
   */
  public record Dsn(@Name("notify") List<DsnNotify> notifyOn, Boolean allowSuccess, DsnReturn ret, Boolean allowFull,
      Boolean envid, Boolean require) {
  }

  /**
   * Quotas of the application. A limit of 0 is off.
   * @param messagesPerSecond Messages the application may send per second, 0 for no limit
   * @param messagesPerMinute Messages the application may send per minute, 0 for no limit
   * @param messagesPerHour Messages the application may send per hour, 0 for no limit
   * @param messagesPerDay Messages the application may send per day, 0 for no limit
   * @param recipientsPerSecond Recipients the application may send to per second (each recipient
   * counts one), 0 for no limit
   * @param recipientsPerMinute Recipients the application may send to per minute, 0 for no limit
   * @param recipientsPerHour Recipients the application may send to per hour, 0 for no limit
   * @param recipientsPerDay Recipients the application may send to per day, 0 for no limit
   * @param recipientsPerMessage Most recipients one message may have; larger messages are refused
   * whole. 0 for no limit.
   * @param maxWait How long a send may block waiting for quota before it is refused
   * @param domain Recipient quotas per recipient domain, keyed by domain. Write the domain in
   * brackets: 'mailwarden.limit.domain[gmail.com].recipients-per-minute=20'.
   */
  public record Limit(Long messagesPerSecond, Long messagesPerMinute, Long messagesPerHour, Long messagesPerDay,
      Long recipientsPerSecond, Long recipientsPerMinute, Long recipientsPerHour, Long recipientsPerDay,
      Integer recipientsPerMessage, Duration maxWait, Map<String, Domain> domain) {
  }

  /**
   * Recipient quotas of one recipient domain. A limit of 0 is off.
   * @param recipientsPerMinute Recipients of this domain the application may send to per minute
   * @param recipientsPerHour Recipients of this domain the application may send to per hour
   * @param recipientsPerDay Recipients of this domain the application may send to per day
   */
  public record Domain(Long recipientsPerMinute, Long recipientsPerHour, Long recipientsPerDay) {
  }

  /**
   * Rules for recipient addresses.
   * @param allowDomains Domains that may receive, for example 'example.com' (that domain) or
   * '*.example.org' (its subdomains). Empty allows every domain.
   * @param denyDomains Domains that never receive, with the same patterns as
   * 'mailwarden.recipients.allow-domains'
   * @param onInvalid What to do with a message that has invalid recipients: 'reject-message' (send it
   * to nobody) or 'drop-recipient' (send it to the valid rest and report the others)
   * @param syntax Recipient address syntax: 'strict' (RFC 5321 dot-string local parts, fully
   * qualified domains) or 'lenient' (adds quoted local parts and globally routable IP literals)
   * @param checkMx Whether to look every recipient domain up in DNS and refuse those that cannot
   * receive mail (no such domain, a null MX, no MX, A or AAAA record); see 'mailwarden.dns.*'
   */
  public record Recipients(List<String> allowDomains, List<String> denyDomains, OnInvalidRecipient onInvalid,
      RecipientSyntax syntax, Boolean checkMx) {
  }

  /**
   * Jakarta Mail's stream provider, a JVM-wide setting made at start-up by
   * {@link MailwardenStreamProviderEnvironmentPostProcessor} (which reads the property itself: it is
   * bound here so that it is known, and it is not passed to the session).
   * @param fix Whether to set the system property 'jakarta.mail.util.StreamProvider' to Angus Mail's
   * provider at start-up when it is unset and Angus's is the provider found anyway: Jakarta Mail then
   * loads it directly instead of with a ServiceLoader per message
   */
  public record StreamProvider(@DefaultValue("true") Boolean fix) {
  }

  /**
   * Rules for senders.
   * @param allowDomains Domains the From addresses and the envelope sender must be in, with the same
   * patterns as 'mailwarden.recipients.allow-domains'. Empty allows every domain.
   */
  public record Senders(List<String> allowDomains) {
  }

  /**
   * What Mailwarden's logs may show.
   * @param showAddresses Whether logs may show full recipient addresses rather than masked ones
   * (j***@example.com)
   */
  public record Log(Boolean showAddresses) {
  }

  /**
   * Pooling of SMTP connections, per server and credentials.
   * @param enabled Whether connections are pooled; when false every send opens and closes its own
   * @param maxConnections Most connections open at once to one server with one set of credentials, at
   * least 1
   * @param maxMessagesPerConnection Most messages sent on one connection before a fresh one is opened,
   * 0 for no cap
   * @param idleTimeout How long an unused connection is kept open, 0 to close it when it is returned
   * @param maxWait How long a send waits for a free connection when all are in use, 0 to fail at once
   * @param pipelining Whether MAIL, RCPT and the data command are sent in one group when the server
   * advertises PIPELINING (and BDAT when it advertises CHUNKING)
   */
  public record Pool(Boolean enabled, Integer maxConnections, Integer maxMessagesPerConnection,
      Duration idleTimeout, Duration maxWait, Boolean pipelining) {
  }

  /**
   * DNS lookups of recipient domains ('mailwarden.recipients.check-mx'). Read and checked always, in
   * effect only when the check is on.
   * @param servers DNS servers to ask: 'host', 'host:port', '[IPv6]:port' or a bare IPv6 address, port
   * 53 when none is given. When unset, the system's resolvers.
   * @param timeout How long one try of one query waits for an answer, above zero
   * @param retries How many times a query without an answer is sent again, to the next server, 0 to 10
   * @param onFailure What to do when DNS itself fails (timeout, SERVFAIL, REFUSED, network error):
   * 'send' (send anyway and log a warning) or 'refuse' (refuse the recipient)
   * @param cache Cache of DNS verdicts per domain
   */
  public record Dns(List<String> servers, Duration timeout, Integer retries, DnsOnFailure onFailure,
      @DefaultValue Cache cache) {

    /**
     * Cache of DNS verdicts per domain.
     * @param maxTtl Longest a positive answer is cached, whatever its TTL says
     * @param negativeTtl Longest a negative answer (no such domain, no record) is cached
     * @param maxSize Most domains the cache holds, at least 1
     */
    public record Cache(Duration maxTtl, Duration negativeTtl, Long maxSize) {
    }
  }

  /**
   * Suppression list: addresses that hard-bounced, complained or failed softly too often are not mailed
   * again.
   * @param store Where the list is kept: 'file' (a journal that survives restarts), 'memory' (in this
   * JVM only, lost at restart) or 'none' (no list). When unset, memory; file when
   * 'mailwarden.suppression.file' is set; Redis when 'mailwarden.store' is 'redis'.
   * @param file Journal of the 'file' store; one writer process per file. Setting it selects the file
   * store. With 'mailwarden.suppression.store=file' and no file,
   * {@code ${user.home}/.mailwarden/<app>.suppressions}.
   * @param softThreshold Soft failures of one address within the window that suppress it, 0 for never
   * @param softWindow Sliding window soft failures are counted in
   * @param ttl How long an entry lasts, 0 to keep it until it is removed
   * @param correlationWindow How long a send is remembered so that a bounce can be tied back to it, 0
   * for off
   * @param correlationSize Most sends remembered for tying bounces back to them, oldest forgotten first
   */
  public record Suppression(SuppressionStore store, String file, Integer softThreshold, Duration softWindow,
      Duration ttl, Duration correlationWindow, Long correlationSize) {
  }

  /**
   * Reputation guard: warns about, then pauses, sending when the hard-bounce or complaint rate of
   * recent sends is too high. Rates are percentages, written with a percent sign: '5%' or '0.1%'. A
   * number without the sign is a percentage too ('0.2' is 0.2%, not 20%).
   * @param enabled Whether the reputation guard runs
   * @param window Sliding window of sends, hard bounces and complaints, at least 1m
   * @param minSends Sends the window must hold before the guard judges
   * @param bounceWarning Hard-bounce rate that logs a warning, for example '5%'
   * @param bouncePause Hard-bounce rate that pauses sending, for example '10%'
   * @param complaintWarning Complaint rate that logs a warning, for example '0.1%'
   * @param complaintPause Complaint rate that pauses sending, for example '0.5%'
   * @param resume How a pause ends: 'manual' (an operator calls resume()) or 'auto' (once the window no
   * longer shows a rate at or above a pause threshold)
   */
  public record Reputation(Boolean enabled, Duration window, Long minSends, String bounceWarning,
      String bouncePause, String complaintWarning, String complaintPause, Resume resume) {
  }

  /**
   * Redis connection of 'mailwarden.store=redis'.
   * @param uri Redis URI: 'redis://[user:password@]host[:port][/db]', 'rediss://...' for TLS, or
   * 'redis-socket:///path'. Required with 'mailwarden.store=redis'; when unset, derived from
   * 'spring.data.redis.*' if those are set.
   * @param keyPrefix Prefix of every key Mailwarden writes, so that applications can share one Redis
   * @param timeout Bound on every Redis call, above zero
   * @param connectTimeout Bound on connecting to Redis and loading its script, done when the store is
   * built so that the first send finds it ready; above zero
   * @param onFailure What a send does while Redis does not answer: 'refuse' (refuse it as
   * store-unavailable) or 'local' (fall back to limits and a suppression list in this JVM). Session
   * key 'mail.mailwarden.store.on-failure'.
   */
  public record Redis(String uri, String keyPrefix, Duration timeout, StoreOnFailure onFailure,
      Duration connectTimeout) {
  }

  /**
   * Quotas every tenant gets, on top of the application's ('mailwarden.limit.*'), and how tenants
   * appear in metrics.
   * @param limit Quotas of each tenant
   * @param metrics How tenants are tagged in Mailwarden's metrics
   */
  public record Tenant(@DefaultValue TenantLimit limit, @DefaultValue TenantMetrics metrics) {
  }

  /**
   * How tenants are tagged in Mailwarden's metrics: the number of tag values stays bounded.
   * @param tags Tenants that get their own 'tenant' tag value; every other tenant is tagged 'other'.
   * When empty, the first 'max-tags' tenants seen get their own.
   * @param maxTags Without 'tags', how many tenants (the first seen) get their own tag value
   */
  public record TenantMetrics(List<String> tags, Integer maxTags) {
  }

  /**
   * Quotas of a tenant. A limit of 0 is off.
   * @param messagesPerSecond Messages a tenant may send per second, 0 for no limit
   * @param messagesPerMinute Messages a tenant may send per minute, 0 for no limit
   * @param messagesPerHour Messages a tenant may send per hour, 0 for no limit
   * @param messagesPerDay Messages a tenant may send per day, 0 for no limit
   * @param recipientsPerSecond Recipients a tenant may send to per second, 0 for no limit
   * @param recipientsPerMinute Recipients a tenant may send to per minute, 0 for no limit
   * @param recipientsPerHour Recipients a tenant may send to per hour, 0 for no limit
   * @param recipientsPerDay Recipients a tenant may send to per day, 0 for no limit
   */
  public record TenantLimit(Long messagesPerSecond, Long messagesPerMinute, Long messagesPerHour,
      Long messagesPerDay, Long recipientsPerSecond, Long recipientsPerMinute, Long recipientsPerHour,
      Long recipientsPerDay) {
  }

  /**
   * Rules of one tenant.
   * @param limit Quotas of this tenant, each instead of the 'mailwarden.tenant.limit.*' of the same name
   * @param senders Domains this tenant may send from (envelope sender, From and Sender)
   */
  public record TenantRules(TenantLimit limit, Senders senders) {
  }

  /** What to do when DNS itself fails ('mailwarden.dns.on-failure'). */
  public enum DnsOnFailure {
    /** Send anyway and log a warning: a DNS outage does not stop all mail. */
    SEND,
    /** Refuse the recipient with reason dns-unavailable. */
    REFUSE;

    @Override
    public String toString() {
      return text(this);
    }
  }

  /** Where the suppression list is kept ('mailwarden.suppression.store'). */
  public enum SuppressionStore {
    /** A journal on disk that survives restarts. */
    FILE,
    /** In this JVM only, lost at restart; the default. */
    MEMORY,
    /** No suppression list. */
    NONE;

    @Override
    public String toString() {
      return text(this);
    }
  }

  /** How a pause of the reputation guard ends ('mailwarden.reputation.resume'). */
  public enum Resume {
    /** An operator calls resume(). */
    MANUAL,
    /** Once the window no longer shows a rate at or above a pause threshold. */
    AUTO;

    @Override
    public String toString() {
      return text(this);
    }
  }

  /** Where quotas and the suppression list are kept ('mailwarden.store'). */
  public enum Store {
    /** In this JVM. */
    LOCAL,
    /** In Redis, shared by every instance; needs mailwarden-redis. */
    REDIS;

    @Override
    public String toString() {
      return text(this);
    }
  }

  /** What a send does while the shared store does not answer ('mailwarden.redis.on-failure'). */
  public enum StoreOnFailure {
    /** Refuse it as store-unavailable. */
    REFUSE,
    /** Fall back to limits and a suppression list held in this JVM. */
    LOCAL;

    @Override
    public String toString() {
      return text(this);
    }
  }

  private static String text(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

}
