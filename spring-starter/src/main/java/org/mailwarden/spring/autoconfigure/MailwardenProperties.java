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

    /** Whether to refuse domains without a mail server. Not available yet: true fails start-up. */
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
}
