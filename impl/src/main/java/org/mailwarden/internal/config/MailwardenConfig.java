package org.mailwarden.internal.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.internal.policy.AddressSyntax;
import org.mailwarden.spi.StoreSettings;

/**
 * The parsed, immutable Mailwarden configuration of one session: every {@code mail.mailwarden.*} key
 * checked once, up front. Unknown keys and malformed values are refused with a message naming the key
 * and the value; nothing falls back to a default silently.
 */
public final class MailwardenConfig {
  /** The prefix of every key in session properties. */
  public static final String PREFIX = "mail.mailwarden.";

  /** Delegate transport keys that frameworks may write under our prefix; passed to the delegate. */
  private static final Pattern DELEGATE_KEY = Pattern.compile(
      "host|port|user|from|localhost|localaddress|localport|connectiontimeout|timeout|writetimeout"
          + "|auth|auth\\..+|ssl\\..+|starttls\\..+|sasl\\..+|proxy\\..+|socks\\..+|quitwait"
          + "|quitonsessionreject|ehlo|noop\\.strict|userset|allow8bitmime|sendpartial"
          + "|mailextension|submitter|executor\\.writetimeout|usesocketchannels");
  private static final Pattern UNIT_LIMIT =
      Pattern.compile("limit\\.(messages|recipients)-per-(second|minute|hour|day)");
  private static final Pattern DOMAIN_LIMIT =
      Pattern.compile("limit\\.domain\\.(.+)\\.recipients-per-(minute|hour|day)");
  private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** DSN NOTIFY keywords of RFC 3461. */
  public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }

  /** What to do with a message that has invalid recipients. */
  public enum OnInvalid { REJECT_MESSAGE, DROP_RECIPIENT }

  private final String app;
  private final String delegateProtocol;
  private final Set<Notify> notify;
  private final String ret;
  private final boolean envid;
  private final boolean requireDsn;
  private final List<Limit> messageLimits;
  private final List<Limit> recipientLimits;
  private final Map<String, List<Limit>> domainLimits;
  private final int recipientsPerMessage;
  private final Duration maxWait;
  private final DomainRules allowDomains;
  private final DomainRules denyDomains;
  private final DomainRules senderDomains;
  private final OnInvalid onInvalid;
  private final AddressSyntax.Mode syntax;
  private final boolean showAddresses;
  private final List<MailwardenListener> listeners;
  private final Map<String, Object> delegateProperties;
  private final SuppressionSettings suppression;
  // --- recipient domain checks in DNS (recipients.check-mx, dns.*) ---
  private final boolean checkMx;
  private final DnsSettings dns;
  // --- pool (mail.mailwarden.pool.*) ---
  private final PoolSettings pool;
  // --- end pool ---
  private final StoreSettings store;

  private MailwardenConfig(Parser p) {
    this.app = p.app;
    this.delegateProtocol = p.delegate;
    this.notify = Set.copyOf(p.notify);
    this.ret = p.ret;
    this.envid = p.envid;
    this.requireDsn = p.requireDsn;
    this.messageLimits = List.copyOf(p.messageLimits.values());
    this.recipientLimits = List.copyOf(p.recipientLimits.values());
    Map<String, List<Limit>> domains = new LinkedHashMap<>();
    p.domainLimits.forEach((d, limits) -> domains.put(d, List.copyOf(limits.values())));
    this.domainLimits = Map.copyOf(domains);
    this.recipientsPerMessage = p.recipientsPerMessage;
    this.maxWait = p.maxWait;
    this.allowDomains = p.allowDomains;
    this.denyDomains = p.denyDomains;
    this.senderDomains = p.senderDomains;
    this.onInvalid = p.onInvalid;
    this.syntax = p.syntax;
    this.showAddresses = p.showAddresses;
    this.listeners = List.copyOf(p.listeners);
    this.delegateProperties = Map.copyOf(p.delegateProperties);
    this.store = p.store.settings();
    this.suppression = p.suppression.settings(p.app, store.isShared());
    this.checkMx = p.checkMx;
    this.dns = p.dns();
    // --- pool ---
    this.pool = new PoolSettings(p.poolEnabled, p.poolMaxConnections, p.poolMaxMessages,
        p.poolIdleTimeout, p.poolMaxWait);
    // --- end pool ---
  }

  /**
   * Parses the {@code mail.mailwarden.*} keys of session properties.
   *
   * @throws MailwardenConfigurationException naming the first unknown key or malformed value
   */
  public static MailwardenConfig from(Properties properties) {
    Parser parser = new Parser();
    // sorted, so the first error reported is the same from run to run
    Map<String, Object> ours = new TreeMap<>();
    flatten(properties).forEach((k, v) -> {
      if (k instanceof String key && key.startsWith(PREFIX)) {
        ours.put(key, v);
      }
    });
    ours.forEach(parser::accept);
    parser.finish();
    return new MailwardenConfig(parser);
  }

  /**
   * Returns every entry of the properties, the defaults they inherit included; object values (such
   * as socket factories or listeners) are kept as they are.
   */
  public static Map<Object, Object> flatten(Properties properties) {
    Map<Object, Object> all = new java.util.HashMap<>();
    for (String name : properties.stringPropertyNames()) {
      all.put(name, properties.getProperty(name));
    }
    all.putAll(properties);
    return all;
  }

  public String app() {
    return app;
  }

  /** Returns {@code smtp} or {@code smtps}. */
  public String delegateProtocol() {
    return delegateProtocol;
  }

  /** Returns the NOTIFY keywords to request, never empty. */
  public Set<Notify> dsnNotify() {
    return notify;
  }

  /** Returns {@code HDRS} or {@code FULL}. */
  public String ret() {
    return ret;
  }

  public boolean envid() {
    return envid;
  }

  public boolean requireDsn() {
    return requireDsn;
  }

  public List<Limit> messageLimits() {
    return messageLimits;
  }

  public List<Limit> recipientLimits() {
    return recipientLimits;
  }

  /** Returns the per-domain recipient limits, keyed by the domain's lower-case A-label form. */
  public Map<String, List<Limit>> domainLimits() {
    return domainLimits;
  }

  /** Returns the largest number of recipients a message may have, 0 for no limit. */
  public int recipientsPerMessage() {
    return recipientsPerMessage;
  }

  public Duration maxWait() {
    return maxWait;
  }

  public DomainRules allowDomains() {
    return allowDomains;
  }

  public DomainRules denyDomains() {
    return denyDomains;
  }

  public DomainRules senderDomains() {
    return senderDomains;
  }

  public OnInvalid onInvalid() {
    return onInvalid;
  }

  public AddressSyntax.Mode syntax() {
    return syntax;
  }

  /** Returns whether logs may show full recipient addresses ({@code log.show-addresses}). */
  public boolean showAddresses() {
    return showAddresses;
  }

  public List<MailwardenListener> listeners() {
    return listeners;
  }

  /** Returns the {@code suppression.*} and {@code reputation.*} settings. */
  public SuppressionSettings suppression() {
    return suppression;
  }

  /** Returns the {@code store}, {@code store.on-failure} and {@code redis.*} settings. */
  public StoreSettings store() {
    return store;
  }

  /** Returns delegate keys written under our prefix, renamed to {@code mail.<delegate>.*}. */
  public Map<String, Object> delegateProperties() {
    return delegateProperties;
  }

  // --- recipient domain checks in DNS (recipients.check-mx, dns.*) ---

  /** Returns whether recipient domains are checked in DNS ({@code recipients.check-mx}). */
  public boolean checkMx() {
    return checkMx;
  }

  /** Returns the DNS settings ({@code dns.*}); used only when {@link #checkMx()} is true. */
  public DnsSettings dns() {
    return dns;
  }

  // --- end of recipient domain checks ---

  /**
   * Returns the effective policies, defaults included, as keys without prefix mapped to their values,
   * in the order of the README's table; limits that are off are left out.
   */
  public Map<String, String> effectivePolicies() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("app", app);
    out.put("delegate", delegateProtocol);
    out.put("dsn.notify", notify.stream().sorted().map(Enum::name)
        .collect(java.util.stream.Collectors.joining(",")));
    out.put("dsn.ret", ret);
    out.put("dsn.envid", Boolean.toString(envid));
    out.put("dsn.require", Boolean.toString(requireDsn));
    messageLimits.forEach(l -> out.put(l.key(), Long.toString(l.count())));
    recipientLimits.forEach(l -> out.put(l.key(), Long.toString(l.count())));
    new TreeMap<>(domainLimits).values()
        .forEach(limits -> limits.forEach(l -> out.put(l.key(), Long.toString(l.count()))));
    out.put("limit.recipients-per-message", Integer.toString(recipientsPerMessage));
    out.put("limit.max-wait", maxWait.toMillis() + "ms");
    out.put("recipients.allow-domains", allowDomains.toString());
    out.put("recipients.deny-domains", denyDomains.toString());
    out.put("recipients.on-invalid", onInvalid.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    out.put("recipients.syntax", syntax.name().toLowerCase(Locale.ROOT));
    out.put("senders.allow-domains", senderDomains.toString());
    out.put("log.show-addresses", Boolean.toString(showAddresses));
    return java.util.Collections.unmodifiableMap(out);
  }
  // --- pool ---
  /** Returns the connection pool settings ({@code pool.*}). */
  public PoolSettings pool() {
    return pool;
  }
  // --- end pool ---

  @Override
  public String toString() {
    return "MailwardenConfig{app=" + app + ", delegate=" + delegateProtocol + ", dsnNotify=" + notify
        + ", ret=" + ret + ", envid=" + envid + ", requireDsn=" + requireDsn + ", messageLimits="
        + messageLimits + ", recipientLimits=" + recipientLimits + ", domainLimits=" + domainLimits
        + ", recipientsPerMessage=" + recipientsPerMessage + ", maxWait=" + maxWait
        + ", allowDomains=" + allowDomains + ", denyDomains=" + denyDomains + ", senderDomains="
        + senderDomains + ", onInvalid=" + onInvalid + ", syntax=" + syntax + ", checkMx=" + checkMx
        + ", dns=" + dns + ", pool=" + pool + '}';
  }

  /** Collects values key by key; {@link #finish()} applies defaults and checks combinations. */
  private static final class Parser {
    String app = "default";
    String delegate = "smtp";
    Set<Notify> notify = EnumSet.of(Notify.FAILURE);
    String notifyRaw;
    String ret = "HDRS";
    boolean allowSuccess;
    boolean allowFull;
    boolean envid = true;
    boolean requireDsn;
    final Map<String, Limit> messageLimits = new LinkedHashMap<>();
    final Map<String, Limit> recipientLimits = new LinkedHashMap<>();
    final Map<String, Map<String, Limit>> domainLimits = new TreeMap<>();
    int recipientsPerMessage = 50;
    Duration maxWait = Duration.ZERO;
    DomainRules allowDomains = DomainRules.empty();
    DomainRules denyDomains = DomainRules.empty();
    DomainRules senderDomains = DomainRules.empty();
    OnInvalid onInvalid = OnInvalid.REJECT_MESSAGE;
    AddressSyntax.Mode syntax = AddressSyntax.Mode.STRICT;
    boolean showAddresses;
    final List<MailwardenListener> listeners = new ArrayList<>();
    final Map<String, Object> delegateProperties = new LinkedHashMap<>();
    final Map<String, Long> unitLimits = new LinkedHashMap<>();
    final Map<String, Object> pendingDelegate = new LinkedHashMap<>();
    final SuppressionKeys suppression = new SuppressionKeys();
    // --- recipient domain checks in DNS (recipients.check-mx, dns.*) ---
    boolean checkMx;
    List<InetSocketAddress> dnsServers = DnsSettings.DEFAULTS.servers();
    Duration dnsTimeout = DnsSettings.DEFAULTS.timeout();
    int dnsRetries = DnsSettings.DEFAULTS.retries();
    Duration dnsMaxTtl = DnsSettings.DEFAULTS.maxTtl();
    Duration dnsNegativeTtl = DnsSettings.DEFAULTS.negativeTtl();
    long dnsMaxSize = DnsSettings.DEFAULTS.maxSize();
    DnsSettings.OnFailure dnsOnFailure = DnsSettings.DEFAULTS.onFailure();
    // --- pool ---
    boolean poolEnabled = true;
    int poolMaxConnections = PoolSettings.DEFAULT_MAX_CONNECTIONS;
    int poolMaxMessages = PoolSettings.DEFAULT_MAX_MESSAGES;
    Duration poolIdleTimeout = PoolSettings.DEFAULT_IDLE_TIMEOUT;
    Duration poolMaxWait = PoolSettings.DEFAULT_MAX_WAIT;
    // --- end pool ---
    final StoreKeys store = new StoreKeys();

    Parser() {
      unitLimits.put("limit.recipients-per-second", 14L);
      unitLimits.put("limit.recipients-per-day", 50_000L);
    }

    void accept(String fullKey, Object rawValue) {
      String key = fullKey.substring(PREFIX.length());
      if (key.equals("listener")) {
        addListeners(fullKey, rawValue);
        return;
      }
      if (store.acceptObject(fullKey, key, rawValue)) {
        return;
      }
      if (DELEGATE_KEY.matcher(key).matches()) {
        pendingDelegate.put(key, rawValue);
        return;
      }
      if (!(rawValue instanceof String) && !(rawValue instanceof Number)
          && !(rawValue instanceof Boolean) && !(rawValue instanceof Duration)) {
        throw new MailwardenConfigurationException(fullKey, String.valueOf(rawValue),
            "expected a text value, not a " + (rawValue == null ? "null" : rawValue.getClass().getName()));
      }
      String value = String.valueOf(rawValue);
      if (rawValue instanceof Duration d) {
        value = d.toMillis() + "ms";
      }
      switch (key) {
        case "app" -> {
          if (!APP_NAME.matcher(value.trim()).matches()) {
            throw new MailwardenConfigurationException(fullKey, value,
                "expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
          }
          app = value.trim();
        }
        case "delegate" -> delegate = Values.oneOf(fullKey, value, "smtp", "smtps");
        case "dsn.notify" -> notifyRaw = value;
        case "dsn.allow-success" -> allowSuccess = Values.bool(fullKey, value);
        case "dsn.ret" -> ret = Values.oneOf(fullKey, value, "HDRS", "FULL");
        case "dsn.allow-full" -> allowFull = Values.bool(fullKey, value);
        case "dsn.envid" -> envid = Values.bool(fullKey, value);
        case "dsn.require" -> requireDsn = Values.bool(fullKey, value);
        case "limit.recipients-per-message" ->
            recipientsPerMessage = Values.nonNegativeInt(fullKey, value);
        case "limit.max-wait" -> maxWait = Values.duration(fullKey, value);
        case "recipients.allow-domains" -> allowDomains = DomainRules.parse(fullKey, value);
        case "recipients.deny-domains" -> denyDomains = DomainRules.parse(fullKey, value);
        case "senders.allow-domains" -> senderDomains = DomainRules.parse(fullKey, value);
        case "recipients.on-invalid" -> onInvalid =
            Values.oneOf(fullKey, value, "reject-message", "drop-recipient").equals("reject-message")
                ? OnInvalid.REJECT_MESSAGE : OnInvalid.DROP_RECIPIENT;
        case "recipients.syntax" -> syntax =
            Values.oneOf(fullKey, value, "strict", "lenient").equals("strict")
                ? AddressSyntax.Mode.STRICT : AddressSyntax.Mode.LENIENT;
        // --- recipient domain checks in DNS (recipients.check-mx, dns.*) ---
        case "recipients.check-mx" -> checkMx = Values.bool(fullKey, value);
        case "dns.servers" -> dnsServers = dnsServers(fullKey, value);
        case "dns.timeout" -> dnsTimeout = positive(fullKey, value, Values.duration(fullKey, value));
        case "dns.retries" -> {
          dnsRetries = Values.nonNegativeInt(fullKey, value);
          if (dnsRetries > 10) {
            throw new MailwardenConfigurationException(fullKey, value, "expected 0 to 10 retries");
          }
        }
        case "dns.cache.max-ttl" -> dnsMaxTtl = Values.duration(fullKey, value);
        case "dns.cache.negative-ttl" -> dnsNegativeTtl = Values.duration(fullKey, value);
        case "dns.cache.max-size" -> {
          dnsMaxSize = Values.nonNegativeLong(fullKey, value);
          if (dnsMaxSize == 0) {
            throw new MailwardenConfigurationException(fullKey, value, "expected at least 1 domain");
          }
        }
        case "dns.on-failure" -> dnsOnFailure =
            Values.oneOf(fullKey, value, "send", "refuse").equals("send")
                ? DnsSettings.OnFailure.SEND : DnsSettings.OnFailure.REFUSE;
        // --- end of recipient domain checks ---
        case "log.show-addresses" -> showAddresses = Values.bool(fullKey, value);
        // --- pool ---
        case "pool.enabled" -> poolEnabled = Values.bool(fullKey, value);
        case "pool.max-connections" -> {
          poolMaxConnections = Values.nonNegativeInt(fullKey, value);
          if (poolMaxConnections == 0) {
            throw new MailwardenConfigurationException(fullKey, value, "expected a whole number from 1 "
                + "to " + Integer.MAX_VALUE + "; to open a connection per send, set "
                + PREFIX + "pool.enabled=false");
          }
        }
        case "pool.max-messages-per-connection" -> poolMaxMessages = Values.nonNegativeInt(fullKey, value);
        case "pool.idle-timeout" -> poolIdleTimeout = Values.duration(fullKey, value);
        case "pool.max-wait" -> poolMaxWait = Values.duration(fullKey, value);
        // --- end pool ---
        default -> {
          if (!suppression.accept(fullKey, key, value) && !store.accept(fullKey, key, value)) {
            acceptLimit(fullKey, key, value);
          }
        }
      }
    }

    private void acceptLimit(String fullKey, String key, String value) {
      if (UNIT_LIMIT.matcher(key).matches()) {
        unitLimits.put(key, Values.nonNegativeLong(fullKey, value));
        return;
      }
      Matcher m = DOMAIN_LIMIT.matcher(key);
      if (m.matches()) {
        String domain = DomainRules.normalizeConfigured(fullKey, value, m.group(1));
        long count = Values.nonNegativeLong(fullKey, value);
        if (count > 0) {
          String canonical = "limit.domain." + domain + ".recipients-per-" + m.group(2);
          domainLimits.computeIfAbsent(domain, d -> new LinkedHashMap<>())
              .put(canonical, new Limit(canonical, count, period(m.group(2))));
        }
        return;
      }
      throw new MailwardenConfigurationException(fullKey, value, "unknown Mailwarden key; see the "
          + "README for the keys (app, dsn.*, limit.*, recipients.*, senders.*, dns.*, suppression.*, "
          + "reputation.*, pool.*, store, store.on-failure, redis.*, log.show-addresses) "
          + "and the SMTP keys passed to the delegate");
    }

    // --- recipient domain checks in DNS (recipients.check-mx, dns.*) ---

    DnsSettings dns() {
      return new DnsSettings(dnsServers, dnsTimeout, dnsRetries, dnsMaxTtl, dnsNegativeTtl,
          dnsMaxSize, dnsOnFailure);
    }

    private static Duration positive(String key, String value, Duration d) {
      if (d.isZero()) {
        throw new MailwardenConfigurationException(key, value, "expected a duration above zero");
      }
      return d;
    }

    /** Parses {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address, comma-separated. */
    private static List<InetSocketAddress> dnsServers(String key, String value) {
      List<InetSocketAddress> servers = new ArrayList<>();
      for (String entry : Values.list(value)) {
        String host = entry;
        int port = 53;
        if (entry.startsWith("[")) {
          int close = entry.indexOf(']');
          if (close < 0 || (close + 1 < entry.length() && entry.charAt(close + 1) != ':')) {
            throw new MailwardenConfigurationException(key, value,
                "expected host, host:port or [IPv6]:port, not '" + entry + "'");
          }
          host = entry.substring(1, close);
          if (close + 1 < entry.length()) {
            port = dnsPort(key, value, entry.substring(close + 2));
          }
        } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') >= 0) {
          host = entry.substring(0, entry.indexOf(':'));
          port = dnsPort(key, value, entry.substring(entry.indexOf(':') + 1));
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (host.isEmpty() || address.isUnresolved()) {
          throw new MailwardenConfigurationException(key, value,
              "cannot resolve the DNS server '" + host + "'; give an IP address or a resolvable host name");
        }
        servers.add(address);
      }
      if (servers.isEmpty()) {
        throw new MailwardenConfigurationException(key, value,
            "expected one or more servers (host or host:port); remove the key for the system's resolvers");
      }
      return servers;
    }

    private static int dnsPort(String key, String value, String port) {
      try {
        int p = Integer.parseInt(port.trim());
        if (p >= 1 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new MailwardenConfigurationException(key, value, "expected a port from 1 to 65535, not '" + port + "'");
    }

    // --- end of recipient domain checks ---

    private void addListeners(String key, Object value) {
      if (value instanceof MailwardenListener l) {
        listeners.add(l);
      } else if (value instanceof Collection<?> c && c.stream().allMatch(MailwardenListener.class::isInstance)) {
        c.forEach(l -> listeners.add((MailwardenListener) l));
      } else {
        throw new MailwardenConfigurationException(key, String.valueOf(value),
            "expected a MailwardenListener object (or a collection of them), set in code");
      }
    }

    void finish() {
      if (notifyRaw != null) {
        notify = parseNotify(notifyRaw);
      }
      if (notify.contains(Notify.SUCCESS) && !allowSuccess) {
        throw new MailwardenConfigurationException(PREFIX + "dsn.notify", notifyRaw,
            "SUCCESS receipts reveal the internal delivery path; set "
                + PREFIX + "dsn.allow-success=true to allow them");
      }
      if (ret.equals("FULL") && !allowFull) {
        throw new MailwardenConfigurationException(PREFIX + "dsn.ret", ret,
            "bounces with the full body can carry malware back out under our name; set "
                + PREFIX + "dsn.allow-full=true to allow them");
      }
      unitLimits.forEach((key, count) -> {
        if (count > 0) {
          String[] parts = key.substring("limit.".length()).split("-per-");
          Limit limit = new Limit(key, count, period(parts[1]));
          (parts[0].equals("messages") ? messageLimits : recipientLimits).put(key, limit);
        }
      });
      pendingDelegate.forEach((k, v) -> delegateProperties.put("mail." + delegate + "." + k, v));
      suppression.finish();
      store.finish();
    }

    private static Set<Notify> parseNotify(String raw) {
      String key = PREFIX + "dsn.notify";
      EnumSet<Notify> set = EnumSet.noneOf(Notify.class);
      for (String part : Values.list(raw)) {
        set.add(Notify.valueOf(Values.oneOf(key, part, "NEVER", "SUCCESS", "FAILURE", "DELAY")));
      }
      if (set.isEmpty()) {
        throw new MailwardenConfigurationException(key, raw,
            "expected NEVER, or one or more of FAILURE, DELAY, SUCCESS separated by commas");
      }
      if (set.contains(Notify.NEVER) && set.size() > 1) {
        throw new MailwardenConfigurationException(key, raw, "NEVER cannot be combined with other values");
      }
      return set;
    }

    private static Duration period(String unit) {
      return switch (unit.toLowerCase(Locale.ROOT)) {
        case "second" -> Duration.ofSeconds(1);
        case "minute" -> Duration.ofMinutes(1);
        case "hour" -> Duration.ofHours(1);
        default -> Duration.ofDays(1);
      };
    }
  }

  // ---- suppression.* and reputation.* (issue 4: suppression list and reputation guard) ----------

  /** Collects the {@code suppression.*} and {@code reputation.*} keys; see docs/suppression.md. */
  private static final class SuppressionKeys {
    /** Null until {@code suppression.store} is given: then FILE, or SHARED when {@code store} is shared. */
    SuppressionSettings.Store store;
    String file;
    int softThreshold = 3;
    Duration softWindow = Duration.ofDays(7);
    Duration ttl = Duration.ZERO;
    Duration correlationWindow = Duration.ofDays(7);
    long correlationSize = 100_000;
    boolean reputationEnabled = true;
    Duration reputationWindow = Duration.ofDays(1);
    long minSends = 500;
    double bounceWarning = 0.05;
    double bouncePause = 0.10;
    double complaintWarning = 0.001;
    double complaintPause = 0.005;
    SuppressionSettings.Resume resume = SuppressionSettings.Resume.MANUAL;

    /** Returns false when the key is not one of ours. */
    boolean accept(String fullKey, String key, String value) {
      switch (key) {
        case "suppression.store" -> store = SuppressionSettings.Store.valueOf(
            Values.oneOf(fullKey, value, "file", "memory", "none").toUpperCase(Locale.ROOT));
        case "suppression.file" -> {
          if (value.isBlank() || value.indexOf('\0') >= 0) {
            throw new MailwardenConfigurationException(fullKey, value, "expected a file path");
          }
          try {
            java.nio.file.Path.of(value.trim());
          } catch (java.nio.file.InvalidPathException e) {
            throw new MailwardenConfigurationException(fullKey, value, "expected a file path: " + e.getReason());
          }
          file = value.trim();
        }
        case "suppression.soft-threshold" -> softThreshold = Values.nonNegativeInt(fullKey, value);
        case "suppression.soft-window" -> softWindow = Values.duration(fullKey, value);
        case "suppression.ttl" -> ttl = Values.duration(fullKey, value);
        case "suppression.correlation-window" -> correlationWindow = Values.duration(fullKey, value);
        case "suppression.correlation-size" -> correlationSize = Values.nonNegativeLong(fullKey, value);
        case "reputation.enabled" -> reputationEnabled = Values.bool(fullKey, value);
        case "reputation.window" -> reputationWindow = Values.duration(fullKey, value);
        case "reputation.min-sends" -> minSends = Values.nonNegativeLong(fullKey, value);
        case "reputation.bounce-warning" -> bounceWarning = Values.percent(fullKey, value);
        case "reputation.bounce-pause" -> bouncePause = Values.percent(fullKey, value);
        case "reputation.complaint-warning" -> complaintWarning = Values.percent(fullKey, value);
        case "reputation.complaint-pause" -> complaintPause = Values.percent(fullKey, value);
        case "reputation.resume" -> resume = SuppressionSettings.Resume.valueOf(
            Values.oneOf(fullKey, value, "manual", "auto").toUpperCase(Locale.ROOT));
        default -> {
          return false;
        }
      }
      return true;
    }

    void finish() {
      if (softThreshold > 0 && softWindow.isZero()) {
        throw new MailwardenConfigurationException(PREFIX + "suppression.soft-window", "0",
            "soft failures need a window to be counted in; set suppression.soft-threshold=0 to turn "
                + "soft suppression off");
      }
      if (reputationEnabled && reputationWindow.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new MailwardenConfigurationException(PREFIX + "reputation.window",
            reputationWindow.toString(), "expected at least 1m");
      }
      if (bounceWarning > bouncePause) {
        throw new MailwardenConfigurationException(PREFIX + "reputation.bounce-warning",
            100 * bounceWarning + "%", "must not be above reputation.bounce-pause (" + 100 * bouncePause + "%)");
      }
      if (complaintWarning > complaintPause) {
        throw new MailwardenConfigurationException(PREFIX + "reputation.complaint-warning",
            100 * complaintWarning + "%",
            "must not be above reputation.complaint-pause (" + 100 * complaintPause + "%)");
      }
    }

    SuppressionSettings settings(String app, boolean sharedStore) {
      if (store == null) {
        store = sharedStore ? SuppressionSettings.Store.SHARED : SuppressionSettings.Store.FILE;
      }
      java.nio.file.Path path = null;
      if (store == SuppressionSettings.Store.FILE) {
        path = (file != null ? java.nio.file.Path.of(file)
            : java.nio.file.Path.of(System.getProperty("user.home"), ".mailwarden", app + ".suppressions"))
            .toAbsolutePath().normalize();
      }
      return new SuppressionSettings(store, path, softThreshold, softWindow, ttl, correlationWindow,
          correlationSize, new SuppressionSettings.ReputationSettings(reputationEnabled,
              reputationWindow, minSends, bounceWarning, bouncePause, complaintWarning,
              complaintPause, resume));
    }
  }

  // ---- end of suppression.* and reputation.* -----------------------------------------------------

  // ---- store, store.on-failure, redis.* (issue 6: cluster-wide quotas and suppression on Redis) --

  /** Collects the {@code store}, {@code store.on-failure} and {@code redis.*} keys; see docs/redis.md. */
  private static final class StoreKeys {
    String name = "local";
    String uri;
    Object client;
    String keyPrefix = StoreSettings.LOCAL.keyPrefix();
    Duration timeout = StoreSettings.LOCAL.timeout();
    StoreSettings.OnFailure onFailure = StoreSettings.OnFailure.REFUSE;

    /** Accepts {@code redis.client}, the one key of ours whose value is an object set in code. */
    boolean acceptObject(String fullKey, String key, Object value) {
      if (!key.equals("redis.client")) {
        return false;
      }
      if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
        throw new MailwardenConfigurationException(fullKey, String.valueOf(value),
            "expected a Redis client object (a Lettuce io.lettuce.core.RedisClient), put into the "
                + "properties in code; give a URI with " + PREFIX + "redis.uri instead");
      }
      client = value;
      return true;
    }

    /** Returns false when the key is not one of ours. */
    boolean accept(String fullKey, String key, String value) {
      switch (key) {
        case "store" -> name = Values.oneOf(fullKey, value, "local", "redis");
        case "store.on-failure" -> onFailure = StoreSettings.OnFailure.valueOf(
            Values.oneOf(fullKey, value, "refuse", "local").toUpperCase(Locale.ROOT));
        case "redis.uri" -> uri = redisUri(fullKey, value);
        case "redis.key-prefix" -> {
          String v = value.trim();
          if (v.isEmpty() || v.length() > 128 || v.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw new MailwardenConfigurationException(fullKey, value,
                "expected 1 to 128 visible characters without spaces, for example 'mailwarden:' or 'orders:mw:'");
          }
          keyPrefix = v;
        }
        case "redis.timeout" -> {
          timeout = Values.duration(fullKey, value);
          if (timeout.isZero()) {
            throw new MailwardenConfigurationException(fullKey, value,
                "expected a positive duration such as 500ms: every Redis call needs a bound");
          }
        }
        default -> {
          return false;
        }
      }
      return true;
    }

    private static String redisUri(String fullKey, String value) {
      String v = value.trim();
      try {
        java.net.URI u = new java.net.URI(v);
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("redis") || scheme.equals("rediss")) && u.getHost() != null) {
          return v;
        }
        if (scheme.equals("redis-socket") && u.getPath() != null && !u.getPath().isEmpty()) {
          return v;
        }
      } catch (java.net.URISyntaxException e) {
        // reported below
      }
      throw new MailwardenConfigurationException(fullKey, value,
          "expected a Redis URI such as redis://127.0.0.1:6379/0, rediss://host:6380 or "
              + "redis-socket:///run/redis.sock");
    }

    void finish() {
      if (name.equals("local")) {
        return;
      }
      if (uri == null && client == null) {
        throw new MailwardenConfigurationException(PREFIX + "redis.uri", "",
            "required when " + PREFIX + "store=" + name + " (for example redis://127.0.0.1:6379/0), "
                + "unless a client object is given as " + PREFIX + "redis.client");
      }
      if (uri != null && client != null) {
        throw new MailwardenConfigurationException(PREFIX + "redis.client", client.getClass().getName(),
            "give either " + PREFIX + "redis.uri or " + PREFIX + "redis.client, not both");
      }
    }

    StoreSettings settings() {
      return name.equals("local") && keyPrefix.equals(StoreSettings.LOCAL.keyPrefix())
          && timeout.equals(StoreSettings.LOCAL.timeout()) && onFailure == StoreSettings.OnFailure.REFUSE
          ? StoreSettings.LOCAL
          : new StoreSettings(name, uri, client, keyPrefix, timeout, onFailure);
    }
  }

  // ---- end of store, store.on-failure, redis.* ---------------------------------------------------
}
