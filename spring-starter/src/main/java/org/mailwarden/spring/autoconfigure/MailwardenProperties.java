package org.mailwarden.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Mailwarden's policies, bound from {@code mailwarden.*}. Every key is the Jakarta Mail session key
 * {@code mail.mailwarden.*} of the same name (see the README's policy table), so
 * {@code mailwarden.limit.messages-per-minute} is {@code mail.mailwarden.limit.messages-per-minute}.
 * Values are checked by Mailwarden itself at start-up; an unknown key under {@code mailwarden.} fails
 * start-up too.
 *
 * <p>The groups {@code pool}, {@code dns}, {@code suppression}, {@code reputation} and {@code redis}
 * and the key {@code store} use nullable types: a value that is not set is not passed on, so
 * Mailwarden's own default applies (stated in each description), and the core stays the one source
 * of defaults. One name differs from the session key: {@code mailwarden.redis.on-failure} is
 * {@code mail.mailwarden.store.on-failure}, because Spring Boot cannot bind {@code mailwarden.store}
 * both as a value and as a group.
 */
@ConfigurationProperties(prefix = "mailwarden", ignoreUnknownFields = false)
public class MailwardenProperties {

  /**
   * Name of the application: the quota key and the label in logs and metrics. Sessions with the same
   * name in one JVM share their quotas.
   */
  private String app = "default";

  /**
   * Transport underneath Mailwarden: 'smtp' or 'smtps'. When unset, 'spring.mail.protocol' decides.
   */
  private String delegate;

  private final Dsn dsn = new Dsn();

  private final Limit limit = new Limit();

  private final Recipients recipients = new Recipients();

  private final Senders senders = new Senders();

  private final Log log = new Log();

  private final Pool pool = new Pool();

  private final Dns dns = new Dns();

  private final Suppression suppression = new Suppression();

  private final Reputation reputation = new Reputation();

  /**
   * Where quotas and the suppression list are kept: 'local' (in this JVM) or 'redis' (shared by every
   * instance through 'mailwarden.redis.*'; needs mailwarden-redis on the class path). Default: local.
   */
  private String store;

  private final Redis redis = new Redis();

  public String getApp() {
    return this.app;
  }

  public void setApp(String app) {
    this.app = app;
  }

  public String getDelegate() {
    return this.delegate;
  }

  public void setDelegate(String delegate) {
    this.delegate = delegate;
  }

  public Dsn getDsn() {
    return this.dsn;
  }

  public Limit getLimit() {
    return this.limit;
  }

  public Recipients getRecipients() {
    return this.recipients;
  }

  public Senders getSenders() {
    return this.senders;
  }

  public Log getLog() {
    return this.log;
  }

  public Pool getPool() {
    return this.pool;
  }

  public Dns getDns() {
    return this.dns;
  }

  public Suppression getSuppression() {
    return this.suppression;
  }

  public Reputation getReputation() {
    return this.reputation;
  }

  public String getStore() {
    return this.store;
  }

  public void setStore(String store) {
    this.store = store;
  }

  public Redis getRedis() {
    return this.redis;
  }

  /** Delivery Status Notification (RFC 3461) parameters requested on every message. */
  public static class Dsn {

    /**
     * NOTIFY sent on every recipient: 'NEVER', or a comma-separated list of 'FAILURE', 'DELAY' and
     * 'SUCCESS'. 'SUCCESS' is refused unless 'mailwarden.dsn.allow-success' is true.
     */
    private String notify = "FAILURE";

    /** Whether 'mailwarden.dsn.notify' may contain 'SUCCESS' (receipts reveal the delivery path). */
    private boolean allowSuccess = false;

    /**
     * RET sent on every message: 'HDRS' or 'FULL'. 'FULL' is refused unless 'mailwarden.dsn.allow-full'
     * is true.
     */
    private String ret = "HDRS";

    /** Whether 'mailwarden.dsn.ret' may be 'FULL' (bounces then carry the whole message back). */
    private boolean allowFull = false;

    /** Whether to send a unique ENVID with every message so a bounce can be tied back to its send. */
    private boolean envid = true;

    /**
     * Whether to refuse sending when the server does not advertise DSN. When false, Mailwarden sends
     * without DSN parameters and logs one warning per server.
     */
    private boolean require = false;

    public String getNotify() {
      return this.notify;
    }

    public void setNotify(String notify) {
      this.notify = notify;
    }

    public boolean isAllowSuccess() {
      return this.allowSuccess;
    }

    public void setAllowSuccess(boolean allowSuccess) {
      this.allowSuccess = allowSuccess;
    }

    public String getRet() {
      return this.ret;
    }

    public void setRet(String ret) {
      this.ret = ret;
    }

    public boolean isAllowFull() {
      return this.allowFull;
    }

    public void setAllowFull(boolean allowFull) {
      this.allowFull = allowFull;
    }

    public boolean isEnvid() {
      return this.envid;
    }

    public void setEnvid(boolean envid) {
      this.envid = envid;
    }

    public boolean isRequire() {
      return this.require;
    }

    public void setRequire(boolean require) {
      this.require = require;
    }
  }

  /** Quotas of the application. A limit of 0 is off. */
  public static class Limit {

    /** Messages the application may send per second, 0 for no limit. */
    private long messagesPerSecond = 0;

    /** Messages the application may send per minute, 0 for no limit. */
    private long messagesPerMinute = 0;

    /** Messages the application may send per hour, 0 for no limit. */
    private long messagesPerHour = 0;

    /** Messages the application may send per day, 0 for no limit. */
    private long messagesPerDay = 0;

    /** Recipients the application may send to per second (each recipient counts one), 0 for no limit. */
    private long recipientsPerSecond = 14;

    /** Recipients the application may send to per minute, 0 for no limit. */
    private long recipientsPerMinute = 0;

    /** Recipients the application may send to per hour, 0 for no limit. */
    private long recipientsPerHour = 0;

    /** Recipients the application may send to per day, 0 for no limit. */
    private long recipientsPerDay = 50_000;

    /** Most recipients one message may have; larger messages are refused whole. 0 for no limit. */
    private int recipientsPerMessage = 50;

    /** How long a send may block waiting for quota before it is refused. */
    private Duration maxWait = Duration.ZERO;

    /**
     * Recipient quotas per recipient domain, keyed by domain. Write the domain in brackets:
     * 'mailwarden.limit.domain[gmail.com].recipients-per-minute=20'.
     */
    private final Map<String, Domain> domain = new LinkedHashMap<>();

    public long getMessagesPerSecond() {
      return this.messagesPerSecond;
    }

    public void setMessagesPerSecond(long messagesPerSecond) {
      this.messagesPerSecond = messagesPerSecond;
    }

    public long getMessagesPerMinute() {
      return this.messagesPerMinute;
    }

    public void setMessagesPerMinute(long messagesPerMinute) {
      this.messagesPerMinute = messagesPerMinute;
    }

    public long getMessagesPerHour() {
      return this.messagesPerHour;
    }

    public void setMessagesPerHour(long messagesPerHour) {
      this.messagesPerHour = messagesPerHour;
    }

    public long getMessagesPerDay() {
      return this.messagesPerDay;
    }

    public void setMessagesPerDay(long messagesPerDay) {
      this.messagesPerDay = messagesPerDay;
    }

    public long getRecipientsPerSecond() {
      return this.recipientsPerSecond;
    }

    public void setRecipientsPerSecond(long recipientsPerSecond) {
      this.recipientsPerSecond = recipientsPerSecond;
    }

    public long getRecipientsPerMinute() {
      return this.recipientsPerMinute;
    }

    public void setRecipientsPerMinute(long recipientsPerMinute) {
      this.recipientsPerMinute = recipientsPerMinute;
    }

    public long getRecipientsPerHour() {
      return this.recipientsPerHour;
    }

    public void setRecipientsPerHour(long recipientsPerHour) {
      this.recipientsPerHour = recipientsPerHour;
    }

    public long getRecipientsPerDay() {
      return this.recipientsPerDay;
    }

    public void setRecipientsPerDay(long recipientsPerDay) {
      this.recipientsPerDay = recipientsPerDay;
    }

    public int getRecipientsPerMessage() {
      return this.recipientsPerMessage;
    }

    public void setRecipientsPerMessage(int recipientsPerMessage) {
      this.recipientsPerMessage = recipientsPerMessage;
    }

    public Duration getMaxWait() {
      return this.maxWait;
    }

    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }

    public Map<String, Domain> getDomain() {
      return this.domain;
    }
  }

  /** Recipient quotas of one recipient domain. A limit of 0 is off. */
  public static class Domain {

    /** Recipients of this domain the application may send to per minute, 0 for no limit. */
    private long recipientsPerMinute = 0;

    /** Recipients of this domain the application may send to per hour, 0 for no limit. */
    private long recipientsPerHour = 0;

    /** Recipients of this domain the application may send to per day, 0 for no limit. */
    private long recipientsPerDay = 0;

    public long getRecipientsPerMinute() {
      return this.recipientsPerMinute;
    }

    public void setRecipientsPerMinute(long recipientsPerMinute) {
      this.recipientsPerMinute = recipientsPerMinute;
    }

    public long getRecipientsPerHour() {
      return this.recipientsPerHour;
    }

    public void setRecipientsPerHour(long recipientsPerHour) {
      this.recipientsPerHour = recipientsPerHour;
    }

    public long getRecipientsPerDay() {
      return this.recipientsPerDay;
    }

    public void setRecipientsPerDay(long recipientsPerDay) {
      this.recipientsPerDay = recipientsPerDay;
    }
  }

  /** Rules for recipient addresses. */
  public static class Recipients {

    /**
     * Domains that may receive, for example 'example.com' (that domain) or '*.example.org' (its
     * subdomains). Empty allows every domain.
     */
    private List<String> allowDomains = new ArrayList<>();

    /** Domains that never receive, with the same patterns as 'mailwarden.recipients.allow-domains'. */
    private List<String> denyDomains = new ArrayList<>();

    /**
     * What to do with a message that has invalid recipients: 'reject-message' (send it to nobody) or
     * 'drop-recipient' (send it to the valid rest and report the others).
     */
    private String onInvalid = "reject-message";

    /**
     * Recipient address syntax: 'strict' (RFC 5321 dot-string local parts, fully qualified domains) or
     * 'lenient' (adds quoted local parts and globally routable IP literals).
     */
    private String syntax = "strict";

    /**
     * Whether to look every recipient domain up in DNS and refuse those that cannot receive mail (no
     * such domain, a null MX, no MX, A or AAAA record); see 'mailwarden.dns.*'.
     */
    private boolean checkMx = false;

    public List<String> getAllowDomains() {
      return this.allowDomains;
    }

    public void setAllowDomains(List<String> allowDomains) {
      this.allowDomains = allowDomains;
    }

    public List<String> getDenyDomains() {
      return this.denyDomains;
    }

    public void setDenyDomains(List<String> denyDomains) {
      this.denyDomains = denyDomains;
    }

    public String getOnInvalid() {
      return this.onInvalid;
    }

    public void setOnInvalid(String onInvalid) {
      this.onInvalid = onInvalid;
    }

    public String getSyntax() {
      return this.syntax;
    }

    public void setSyntax(String syntax) {
      this.syntax = syntax;
    }

    public boolean isCheckMx() {
      return this.checkMx;
    }

    public void setCheckMx(boolean checkMx) {
      this.checkMx = checkMx;
    }
  }

  /** Rules for senders. */
  public static class Senders {

    /**
     * Domains the From addresses and the envelope sender must be in, with the same patterns as
     * 'mailwarden.recipients.allow-domains'. Empty allows every domain.
     */
    private List<String> allowDomains = new ArrayList<>();

    public List<String> getAllowDomains() {
      return this.allowDomains;
    }

    public void setAllowDomains(List<String> allowDomains) {
      this.allowDomains = allowDomains;
    }
  }

  /** What Mailwarden's logs may show. */
  public static class Log {

    /** Whether logs may show full recipient addresses rather than masked ones (j***@example.com). */
    private boolean showAddresses = false;

    public boolean isShowAddresses() {
      return this.showAddresses;
    }

    public void setShowAddresses(boolean showAddresses) {
      this.showAddresses = showAddresses;
    }
  }

  /** Pooling of SMTP connections, per server and credentials. Unset values take Mailwarden's defaults. */
  public static class Pool {

    /** Whether connections are pooled; when false every send opens and closes its own. Default: true. */
    private Boolean enabled;

    /** Most connections open at once to one server with one set of credentials, at least 1. Default: 4. */
    private Integer maxConnections;

    /** Most messages sent on one connection before a fresh one is opened, 0 for no cap. Default: 100. */
    private Integer maxMessagesPerConnection;

    /** How long an unused connection is kept open, 0 to close it when it is returned. Default: 30s. */
    private Duration idleTimeout;

    /** How long a send waits for a free connection when all are in use, 0 to fail at once. Default: 10s. */
    private Duration maxWait;

    public Boolean getEnabled() {
      return this.enabled;
    }

    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }

    public Integer getMaxConnections() {
      return this.maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
      this.maxConnections = maxConnections;
    }

    public Integer getMaxMessagesPerConnection() {
      return this.maxMessagesPerConnection;
    }

    public void setMaxMessagesPerConnection(Integer maxMessagesPerConnection) {
      this.maxMessagesPerConnection = maxMessagesPerConnection;
    }

    public Duration getIdleTimeout() {
      return this.idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    public Duration getMaxWait() {
      return this.maxWait;
    }

    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }
  }

  /**
   * DNS lookups of recipient domains ('mailwarden.recipients.check-mx'). Read and checked always, in
   * effect only when the check is on. Unset values take Mailwarden's defaults.
   */
  public static class Dns {

    /**
     * DNS servers to ask: 'host', 'host:port', '[IPv6]:port' or a bare IPv6 address, port 53 when none
     * is given. Default: the system's resolvers.
     */
    private List<String> servers;

    /** How long one try of one query waits for an answer, above zero. Default: 2s. */
    private Duration timeout;

    /** How many times a query without an answer is sent again, to the next server, 0 to 10. Default: 1. */
    private Integer retries;

    /**
     * What to do when DNS itself fails (timeout, SERVFAIL, REFUSED, network error): 'send' (send
     * anyway and log a warning) or 'refuse' (refuse the recipient). Default: send.
     */
    private String onFailure;

    private final Cache cache = new Cache();

    public List<String> getServers() {
      return this.servers;
    }

    public void setServers(List<String> servers) {
      this.servers = servers;
    }

    public Duration getTimeout() {
      return this.timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public Integer getRetries() {
      return this.retries;
    }

    public void setRetries(Integer retries) {
      this.retries = retries;
    }

    public String getOnFailure() {
      return this.onFailure;
    }

    public void setOnFailure(String onFailure) {
      this.onFailure = onFailure;
    }

    public Cache getCache() {
      return this.cache;
    }

    /** Cache of DNS verdicts per domain. */
    public static class Cache {

      /** Longest a positive answer is cached, whatever its TTL says. Default: 1h. */
      private Duration maxTtl;

      /** Longest a negative answer (no such domain, no record) is cached. Default: 5m. */
      private Duration negativeTtl;

      /** Most domains the cache holds, at least 1. Default: 10000. */
      private Long maxSize;

      public Duration getMaxTtl() {
        return this.maxTtl;
      }

      public void setMaxTtl(Duration maxTtl) {
        this.maxTtl = maxTtl;
      }

      public Duration getNegativeTtl() {
        return this.negativeTtl;
      }

      public void setNegativeTtl(Duration negativeTtl) {
        this.negativeTtl = negativeTtl;
      }

      public Long getMaxSize() {
        return this.maxSize;
      }

      public void setMaxSize(Long maxSize) {
        this.maxSize = maxSize;
      }
    }
  }

  /**
   * Suppression list: addresses that hard-bounced, complained or failed softly too often are not mailed
   * again. Unset values take Mailwarden's defaults.
   */
  public static class Suppression {

    /**
     * Where the list is kept: 'file' (a journal that survives restarts), 'memory' (in this JVM only) or
     * 'none' (no list). Default: file, or Redis when 'mailwarden.store' is 'redis'.
     */
    private String store;

    /**
     * Journal of the 'file' store; one writer process per file. Default:
     * '${user.home}/.mailwarden/<app>.suppressions'.
     */
    private String file;

    /** Soft failures of one address within the window that suppress it, 0 for never. Default: 3. */
    private Integer softThreshold;

    /** Sliding window soft failures are counted in. Default: 7d. */
    private Duration softWindow;

    /** How long an entry lasts, 0 to keep it until it is removed. Default: 0 (never expires). */
    private Duration ttl;

    /** How long a send is remembered so that a bounce can be tied back to it, 0 for off. Default: 7d. */
    private Duration correlationWindow;

    /** Most sends remembered for tying bounces back to them, oldest forgotten first. Default: 100000. */
    private Long correlationSize;

    public String getStore() {
      return this.store;
    }

    public void setStore(String store) {
      this.store = store;
    }

    public String getFile() {
      return this.file;
    }

    public void setFile(String file) {
      this.file = file;
    }

    public Integer getSoftThreshold() {
      return this.softThreshold;
    }

    public void setSoftThreshold(Integer softThreshold) {
      this.softThreshold = softThreshold;
    }

    public Duration getSoftWindow() {
      return this.softWindow;
    }

    public void setSoftWindow(Duration softWindow) {
      this.softWindow = softWindow;
    }

    public Duration getTtl() {
      return this.ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    public Duration getCorrelationWindow() {
      return this.correlationWindow;
    }

    public void setCorrelationWindow(Duration correlationWindow) {
      this.correlationWindow = correlationWindow;
    }

    public Long getCorrelationSize() {
      return this.correlationSize;
    }

    public void setCorrelationSize(Long correlationSize) {
      this.correlationSize = correlationSize;
    }
  }

  /**
   * Reputation guard: warns about, then pauses, sending when the hard-bounce or complaint rate of
   * recent sends is too high. Rates are percentages such as '5%' or '0.1%'. Unset values take
   * Mailwarden's defaults.
   */
  public static class Reputation {

    /** Whether the reputation guard runs. Default: true. */
    private Boolean enabled;

    /** Sliding window of sends, hard bounces and complaints, at least 1m. Default: 1d. */
    private Duration window;

    /** Sends the window must hold before the guard judges. Default: 500. */
    private Long minSends;

    /** Hard-bounce rate that logs a warning, for example '5%'. Default: 5%. */
    private String bounceWarning;

    /** Hard-bounce rate that pauses sending, for example '10%'. Default: 10%. */
    private String bouncePause;

    /** Complaint rate that logs a warning, for example '0.1%'. Default: 0.1%. */
    private String complaintWarning;

    /** Complaint rate that pauses sending, for example '0.5%'. Default: 0.5%. */
    private String complaintPause;

    /**
     * How a pause ends: 'manual' (an operator calls resume()) or 'auto' (once the window no longer shows
     * a rate at or above a pause threshold). Default: manual.
     */
    private String resume;

    public Boolean getEnabled() {
      return this.enabled;
    }

    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getWindow() {
      return this.window;
    }

    public void setWindow(Duration window) {
      this.window = window;
    }

    public Long getMinSends() {
      return this.minSends;
    }

    public void setMinSends(Long minSends) {
      this.minSends = minSends;
    }

    public String getBounceWarning() {
      return this.bounceWarning;
    }

    public void setBounceWarning(String bounceWarning) {
      this.bounceWarning = bounceWarning;
    }

    public String getBouncePause() {
      return this.bouncePause;
    }

    public void setBouncePause(String bouncePause) {
      this.bouncePause = bouncePause;
    }

    public String getComplaintWarning() {
      return this.complaintWarning;
    }

    public void setComplaintWarning(String complaintWarning) {
      this.complaintWarning = complaintWarning;
    }

    public String getComplaintPause() {
      return this.complaintPause;
    }

    public void setComplaintPause(String complaintPause) {
      this.complaintPause = complaintPause;
    }

    public String getResume() {
      return this.resume;
    }

    public void setResume(String resume) {
      this.resume = resume;
    }
  }

  /**
   * Redis connection of 'mailwarden.store=redis'. Unset values take Mailwarden's defaults.
   */
  public static class Redis {

    /**
     * Redis URI: 'redis://[user:password@]host[:port][/db]', 'rediss://...' for TLS, or
     * 'redis-socket:///path'. Required with 'mailwarden.store=redis'; when unset, derived from
     * 'spring.data.redis.*' if those are set.
     */
    private String uri;

    /** Prefix of every key Mailwarden writes, so that applications can share one Redis. Default: 'mailwarden:'. */
    private String keyPrefix;

    /** Bound on every Redis call, above zero. Default: 500ms. */
    private Duration timeout;

    /**
     * What a send does while Redis does not answer: 'refuse' (refuse it as store-unavailable) or
     * 'local' (fall back to limits and a suppression list in this JVM). Session key
     * 'mail.mailwarden.store.on-failure'. Default: refuse.
     */
    private String onFailure;

    public String getUri() {
      return this.uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }

    public String getKeyPrefix() {
      return this.keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    public Duration getTimeout() {
      return this.timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public String getOnFailure() {
      return this.onFailure;
    }

    public void setOnFailure(String onFailure) {
      this.onFailure = onFailure;
    }
  }
}
