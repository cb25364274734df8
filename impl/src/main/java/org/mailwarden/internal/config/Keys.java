package org.mailwarden.internal.config;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.mailwarden.DelegateProtocol;
import org.mailwarden.DsnNotify;
import org.mailwarden.DsnReturn;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.OnInvalidRecipient;
import org.mailwarden.RecipientSyntax;
import org.mailwarden.spi.StoreSettings;

/**
 * Every Mailwarden configuration key, declared once, in the order of the README's table. Adding a
 * key here is all the core needs; {@code ConfigurationKeysConsistencyTest} in the Spring Boot starter
 * then fails until the starter's properties, their metadata and the README's table have it too.
 */
public final class Keys {
  private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final List<String> UNITS = List.of("second", "minute", "hour", "day");

  public static final Key<String> APP = Key.value("app", String.class, Keys::app).byDefault("default")
      .describe("the application's name: the quota key and the label in logs and metrics; two sessions "
          + "with different names in one JVM have separate quotas, two with the same name share them");
  public static final Key<DelegateProtocol> DELEGATE = choice("delegate", DelegateProtocol.class).byDefault("smtp")
      .describe("the transport underneath");

  public static final Key<Set<DsnNotify>> DSN_NOTIFY = Key.value("dsn.notify", DsnNotify.class, Keys::notify)
      .byDefault("FAILURE").allowed(texts(DsnNotify.values(), DsnNotify::toString))
      .format(set -> set.stream().sorted().map(DsnNotify::toString).collect(Collectors.joining(",")))
      .describe("NOTIFY sent on every RCPT: NEVER, or a comma list of FAILURE, DELAY, SUCCESS; SUCCESS is "
          + "refused unless dsn.allow-success=true");
  public static final Key<Boolean> DSN_ALLOW_SUCCESS = bool("dsn.allow-success", "false")
      .describe("whether dsn.notify may contain SUCCESS");
  public static final Key<DsnReturn> DSN_RET = choice("dsn.ret", DsnReturn.class).byDefault("HDRS")
      .describe("RET sent on MAIL FROM; FULL is refused unless dsn.allow-full=true");
  public static final Key<Boolean> DSN_ALLOW_FULL = bool("dsn.allow-full", "false")
      .describe("whether dsn.ret may be FULL");
  public static final Key<Boolean> DSN_ENVID = bool("dsn.envid", "true")
      .describe("send a unique ENVID per message and expose it in the SendReport");
  public static final Key<Boolean> DSN_REQUIRE = bool("dsn.require", "false")
      .describe("when the server does not advertise DSN: false sends and warns once per server; true refuses");

  /** The application-wide quotas {@code limit.{messages,recipients}-per-{second,minute,hour,day}}. */
  public static final List<Key<Limit>> LIMITS = List.copyOf(limits());
  public static final Key<Integer> RECIPIENTS_PER_MESSAGE = count("limit.recipients-per-message", "50")
      .describe("larger messages are refused whole; 0 for no limit");
  /** The per-domain quotas {@code limit.domain.<domain>.recipients-per-{minute,hour,day}}. */
  public static final List<Key<Limit>> DOMAIN_LIMITS = List.copyOf(domainLimits());
  public static final Key<Duration> MAX_WAIT = duration("limit.max-wait", "0s")
      .describe("how long a send may block waiting for quota before it is refused");

  public static final Key<DomainRules> ALLOW_DOMAINS = domains("recipients.allow-domains")
      .describe("if set, only these domains may receive: example.com (that domain), *.example.org (its subdomains)");
  public static final Key<DomainRules> DENY_DOMAINS = domains("recipients.deny-domains")
      .describe("never send to these domains (same patterns)");
  public static final Key<OnInvalidRecipient> ON_INVALID = choice("recipients.on-invalid", OnInvalidRecipient.class)
      .byDefault("reject-message").describe("reject-message, or drop-recipient: send to the valid rest");
  public static final Key<RecipientSyntax> SYNTAX = choice("recipients.syntax", RecipientSyntax.class)
      .byDefault("strict").describe("recipient address syntax");
  public static final Key<Boolean> CHECK_MX = bool("recipients.check-mx", "false")
      .describe("refuse recipients whose domain cannot receive mail, looked up in DNS (dns.*)");
  public static final Key<DomainRules> SENDER_DOMAINS = domains("senders.allow-domains")
      .describe("if set, the From addresses and the envelope sender must be in these domains");

  public static final Key<Boolean> POOL_ENABLED = bool("pool.enabled", "true")
      .describe("whether delegate connections are pooled behind connect()/close()");
  public static final Key<Integer> POOL_MAX_CONNECTIONS = Key.value("pool.max-connections", Integer.class,
      Keys::maxConnections).byDefault("4")
      .describe("the most connections open at once per server and credentials, at least 1");
  public static final Key<Integer> POOL_MAX_MESSAGES = count("pool.max-messages-per-connection", "100")
      .describe("the most messages sent on one connection; 0 for no cap");
  public static final Key<Duration> POOL_IDLE_TIMEOUT = duration("pool.idle-timeout", "30s")
      .describe("how long an unused connection stays open for reuse");
  public static final Key<Duration> POOL_MAX_WAIT = duration("pool.max-wait", "10s")
      .describe("how long connect() waits for a free connection");
  public static final Key<Boolean> POOL_PIPELINING = bool("pool.pipelining", "true")
      .describe("whether MAIL, RCPT and the data command go out in one group when the server advertises "
          + "PIPELINING (RFC 2920), with BDAT when it advertises CHUNKING (RFC 3030)");
  public static final Key<Duration> SEND_TIMEOUT = duration("send-timeout", "30s")
      .describe("the bound on one send, from its start to the server's last reply, retries included; "
          + "0: none");

  public static final Key<List<InetSocketAddress>> DNS_SERVERS = Key.value("dns.servers", List.class,
      Keys::dnsServers).format(Keys::servers)
      .describe("DNS servers: host, host:port, [IPv6]:port; the system's resolvers when unset");
  public static final Key<Duration> DNS_TIMEOUT = Key.value("dns.timeout", Duration.class,
      (k, v) -> positive(k, v, "expected a duration above zero")).byDefault("2s").format(Keys::millis)
      .describe("how long one try of one query waits for an answer; above zero");
  public static final Key<Integer> DNS_RETRIES = Key.value("dns.retries", Integer.class, Keys::retries)
      .byDefault("1").describe("how many times a query without an answer is sent again; 0 to 10");
  public static final Key<Duration> DNS_MAX_TTL = duration("dns.cache.max-ttl", "1h")
      .describe("the longest a positive answer is cached");
  public static final Key<Duration> DNS_NEGATIVE_TTL = duration("dns.cache.negative-ttl", "5m")
      .describe("the longest a negative answer is cached");
  public static final Key<Long> DNS_MAX_SIZE = Key.value("dns.cache.max-size", Long.class, Keys::cacheSize)
      .byDefault("10000").describe("the most domains the cache holds, at least 1");
  public static final Key<DnsSettings.OnFailure> DNS_ON_FAILURE = choice("dns.on-failure",
      DnsSettings.OnFailure.class, DnsSettings.OnFailure.values()).byDefault("send")
      .describe("when DNS itself fails: send (and warn) or refuse the recipient");

  public static final Key<SuppressionSettings.Store> SUPPRESSION_STORE = choice("suppression.store",
      SuppressionSettings.Store.class, SuppressionSettings.Store.FILE, SuppressionSettings.Store.MEMORY,
      SuppressionSettings.Store.NONE).byDefault("memory")
      .describe("where the suppression list lives: file, memory or none; file when suppression.file is set,"
          + " the shared store when store is shared");
  public static final Key<String> SUPPRESSION_FILE = Key.value("suppression.file", String.class, Keys::path)
      .describe("the journal of the file store (setting it selects the file store); with store=file and no"
          + " file, ${user.home}/.mailwarden/<app>.suppressions");
  public static final Key<Integer> SOFT_THRESHOLD = count("suppression.soft-threshold", "3")
      .describe("soft failures within the window that suppress an address; 0: never");
  public static final Key<Duration> SOFT_WINDOW = duration("suppression.soft-window", "7d")
      .describe("the sliding window soft failures are counted in");
  public static final Key<Duration> SUPPRESSION_TTL = duration("suppression.ttl", "0")
      .describe("how long an entry lasts; 0 keeps it until it is removed");
  public static final Key<Duration> CORRELATION_WINDOW = duration("suppression.correlation-window", "7d")
      .describe("how long a send is remembered so a bounce can be tied back to it; 0: off");
  public static final Key<Long> CORRELATION_SIZE = Key.value("suppression.correlation-size", Long.class,
      Values::nonNegativeLong).byDefault("100000").describe("the most sends remembered");

  public static final Key<Boolean> REPUTATION_ENABLED = bool("reputation.enabled", "true")
      .describe("whether the reputation guard runs");
  public static final Key<Duration> REPUTATION_WINDOW = duration("reputation.window", "1d")
      .describe("the sliding time window of sends, hard bounces and complaints, at least 1m");
  public static final Key<Long> MIN_SENDS = Key.value("reputation.min-sends", Long.class,
      Values::nonNegativeLong).byDefault("500").describe("the guard judges only with this many sends in the window");
  public static final Key<Double> BOUNCE_WARNING = percent("reputation.bounce-warning", "5%")
      .describe("hard-bounce rate that warns");
  public static final Key<Double> BOUNCE_PAUSE = percent("reputation.bounce-pause", "10%")
      .describe("hard-bounce rate that pauses sending");
  public static final Key<Double> COMPLAINT_WARNING = percent("reputation.complaint-warning", "0.1%")
      .describe("complaint rate that warns");
  public static final Key<Double> COMPLAINT_PAUSE = percent("reputation.complaint-pause", "0.5%")
      .describe("complaint rate that pauses sending");
  public static final Key<SuppressionSettings.Resume> RESUME = choice("reputation.resume",
      SuppressionSettings.Resume.class, SuppressionSettings.Resume.values()).byDefault("manual")
      .describe("how a pause ends: manual (an operator calls resume()) or auto");

  public static final Key<String> STORE = Key.value("store", String.class,
      (k, v) -> Values.oneOf(k, v, "local", "redis")).byDefault("local").allowed(List.of("local", "redis"))
      .describe("where quotas and the suppression list live: local (this JVM) or redis (module mailwarden-redis)");
  public static final Key<StoreSettings.OnFailure> STORE_ON_FAILURE = choice("store.on-failure",
      StoreSettings.OnFailure.class, StoreSettings.OnFailure.values()).byDefault("refuse")
      .spring("redis.on-failure")
      .describe("what a send does while the shared store does not answer: refuse, or local limits");
  public static final Key<String> REDIS_URI = Key.value("redis.uri", String.class, Keys::redisUri).secret()
      .describe("the Redis URI, required with store=redis unless redis.client is given");
  public static final Key<Object> REDIS_CLIENT = Key.object("redis.client", Object.class, Keys::redisClient)
      .secret().describe("a Lettuce RedisClient object put into the properties in code, instead of redis.uri");
  public static final Key<String> REDIS_KEY_PREFIX = Key.value("redis.key-prefix", String.class,
      Keys::keyPrefix).byDefault("mailwarden:").describe("the prefix of every key written to Redis");
  public static final Key<Duration> REDIS_TIMEOUT = Key.value("redis.timeout", Duration.class,
      (k, v) -> positive(k, v, "expected a positive duration such as 500ms: every Redis call needs a bound"))
      .byDefault("500ms").format(Keys::millis).describe("the bound on every Redis call; above zero");
  public static final Key<Duration> REDIS_CONNECT_TIMEOUT = Key.value("redis.connect-timeout", Duration.class,
      (k, v) -> positive(k, v, "expected a positive duration such as 5s"))
      .byDefault("5s").format(Keys::millis)
      .describe("the bound on connecting to Redis and loading the scripts, when the store is built and "
          + "after an outage; above zero");

  public static final Key<Boolean> SHOW_ADDRESSES = bool("log.show-addresses", "false")
      .describe("whether logs may show full recipient addresses");
  public static final Key<List<MailwardenListener>> LISTENER = Key.object("listener", MailwardenListener.class,
      Keys::listeners).describe("a MailwardenListener object (or a collection of them), put into the properties in code");

  // ---- report-only mode and tenants (issue 18) ----

  public static final Key<org.mailwarden.EnforcementMode> MODE = choice("mode", org.mailwarden.EnforcementMode.class)
      .byDefault("enforce").describe("enforce, or report-only: every policy decides as usual, but a message "
          + "that would be refused is sent anyway and the refusal reported; injection and dsn.* are always enforced");
  /** The quotas of every tenant {@code tenant.limit.{messages,recipients}-per-{second,minute,hour,day}}. */
  public static final List<Key<Limit>> TENANT_LIMITS = List.copyOf(tenantLimits());
  /** One tenant's quotas {@code tenant.limit.<tenant>.{messages,recipients}-per-{second,minute,hour,day}}. */
  public static final List<Key<Limit>> TENANT_OVERRIDE_LIMITS = List.copyOf(tenantOverrideLimits());
  public static final Key<TenantSettings.SenderDomains> TENANT_SENDER_DOMAINS = tenantSenderDomains();
  public static final Key<org.mailwarden.TenantResolver> TENANT_RESOLVER = Key.object("tenant.resolver",
      org.mailwarden.TenantResolver.class, Keys::tenantResolver)
      .describe("a TenantResolver object put into the properties in code: the tenant of a message that names none");
  public static final Key<List<String>> TENANT_METRICS_TAGS = Key.value("tenant.metrics.tags", List.class,
      Keys::tenantNames).byDefault("").format(l -> String.join(",", l))
      .describe("tenants that get their own tag value in metrics; empty: the first tenant.metrics.max-tags seen");
  public static final Key<Integer> TENANT_METRICS_MAX_TAGS = count("tenant.metrics.max-tags", "20")
      .describe("without tenant.metrics.tags, how many tenants (the first seen) get their own tag value; "
          + "the others are tagged 'other'");

  /**
   * The SMTP transport's own keys that frameworks write under our prefix; passed to the delegate as
   * {@code mail.<delegate>.*}.
   */
  public static final Pattern DELEGATE_KEYS = Pattern.compile(
      "host|port|user|from|localhost|localaddress|localport|connectiontimeout|timeout|writetimeout"
          + "|auth|auth\\..+|ssl\\..+|starttls\\..+|sasl\\..+|proxy\\..+|socks\\..+|quitwait"
          + "|quitonsessionreject|ehlo|noop\\.strict|userset|allow8bitmime|sendpartial"
          + "|mailextension|submitter|executor\\.writetimeout|usesocketchannels");

  /** Every key, in the order of the README's table. */
  public static final List<Key<?>> ALL = List.copyOf(all());

  private Keys() {}

  /** Returns the key of a name without prefix, or null when no key has that name. */
  public static Key<?> find(String name) {
    for (Key<?> key : ALL) {
      if (key.matches(name)) {
        return key;
      }
    }
    return null;
  }

  /** Returns the groups of keys for messages, such as {@code app, dsn.*, limit.*}. */
  static String groups() {
    Set<String> groups = new LinkedHashSet<>();
    ALL.forEach(k -> groups.add(k.name().contains(".") ? k.name().substring(0, k.name().indexOf('.')) + ".*"
        : k.name()));
    return String.join(", ", groups);
  }

  private static List<Key<?>> all() {
    List<Key<?>> all = new ArrayList<>();
    for (java.lang.reflect.Field f : Keys.class.getDeclaredFields()) {
      try {
        if (f.getType() == Key.class) {
          all.add((Key<?>) f.get(null));
        } else if (f.getType() == List.class && f.getName().endsWith("LIMITS")) {
          all.addAll((List<Key<?>>) f.get(null));
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return List.copyOf(all);
  }

  // ---- kinds of keys ----

  private static Key.Builder<Boolean> bool(String name, String byDefault) {
    return Key.value(name, Boolean.class, Values::bool).byDefault(byDefault);
  }

  private static Key.Builder<Integer> count(String name, String byDefault) {
    return Key.value(name, Integer.class, Values::nonNegativeInt).byDefault(byDefault);
  }

  private static Key.Builder<Duration> duration(String name, String byDefault) {
    return Key.value(name, Duration.class, Values::duration).byDefault(byDefault).format(Keys::millis);
  }

  private static Key.Builder<Double> percent(String name, String byDefault) {
    return Key.value(name, Double.class, Values::percent).byDefault(byDefault)
        .format(d -> BigDecimal.valueOf(d).movePointRight(2).stripTrailingZeros().toPlainString() + "%");
  }

  private static Key.Builder<DomainRules> domains(String name) {
    return Key.value(name, List.class, DomainRules::parse).byDefault("");
  }

  /** A key whose values are the {@code toString()} of an enum's constants, such as {@code reject-message}. */
  private static <E extends Enum<E>> Key.Builder<E> choice(String name, Class<E> type) {
    return choice(name, type, type.getEnumConstants(), E::toString);
  }

  /** A key whose values are the lower-case names of some of an enum's constants, such as {@code send}. */
  @SafeVarargs
  private static <E extends Enum<E>> Key.Builder<E> choice(String name, Class<E> type, E... constants) {
    return choice(name, type, constants, e -> e.name().toLowerCase(Locale.ROOT));
  }

  private static <E extends Enum<E>> Key.Builder<E> choice(String name, Class<E> type, E[] constants,
      Function<E, String> text) {
    List<String> allowed = texts(constants, text);
    return Key.<E>value(name, type, (k, v) -> {
      String chosen = Values.oneOf(k, v, allowed.toArray(String[]::new));
      return constants[allowed.indexOf(chosen)];
    }).allowed(allowed).format(text);
  }

  private static <E> List<String> texts(E[] constants, Function<E, String> text) {
    return Arrays.stream(constants).map(text).toList();
  }

  private static List<Key<Limit>> limits() {
    List<Key<Limit>> limits = new ArrayList<>();
    for (String what : List.of("messages", "recipients")) {
      for (String unit : UNITS) {
        String name = "limit." + what + "-per-" + unit;
        String byDefault = name.equals("limit.recipients-per-second") ? "14"
            : name.equals("limit.recipients-per-day") ? "50000" : "0";
        limits.add(Key.value(name, Long.class,
            (k, v) -> new Limit(name, Values.nonNegativeLong(k, v), period(unit)))
            .byDefault(byDefault).format(l -> Long.toString(l.count()))
            .describe("application-wide " + what + " per " + unit + (what.equals("recipients")
                ? " (each recipient counts one)" : "") + "; 0 for no limit"));
      }
    }
    return List.copyOf(limits);
  }

  private static List<Key<Limit>> domainLimits() {
    List<Key<Limit>> limits = new ArrayList<>();
    for (String unit : UNITS.subList(1, UNITS.size())) {
      Pattern pattern = Pattern.compile("limit\\.domain\\.(.+)\\.recipients-per-" + unit);
      limits.add(Key.pattern("limit.domain.<domain>.recipients-per-" + unit, pattern.pattern(), Long.class,
          (k, v) -> {
            Matcher m = pattern.matcher(k.substring(MailwardenConfig.PREFIX.length()));
            m.matches();
            String domain = DomainRules.normalizeConfigured(k, v, m.group(1));
            return new Limit("limit.domain." + domain + ".recipients-per-" + unit,
                Values.nonNegativeLong(k, v), period(unit));
          }).format(l -> Long.toString(l.count()))
          .spring("limit.domain[<domain>].recipients-per-" + unit)
          .describe("recipients of one domain per " + unit + "; 0 for no limit"));
    }
    return List.copyOf(limits);
  }

  /** The tenant names of keys: as {@code Mailwarden.checkTenant} accepts them. */
  static final String TENANT = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

  private static List<Key<Limit>> tenantLimits() {
    List<Key<Limit>> limits = new ArrayList<>();
    for (String what : List.of("messages", "recipients")) {
      for (String unit : UNITS) {
        String name = "tenant.limit." + what + "-per-" + unit;
        limits.add(Key.value(name, Long.class,
            (k, v) -> new Limit(name, Values.nonNegativeLong(k, v), period(unit)))
            .byDefault("0").format(l -> Long.toString(l.count()))
            .describe(what + " per " + unit + " of each tenant, on top of the application's limits; 0 for no limit"));
      }
    }
    return List.copyOf(limits);
  }

  private static List<Key<Limit>> tenantOverrideLimits() {
    List<Key<Limit>> limits = new ArrayList<>();
    for (String what : List.of("messages", "recipients")) {
      for (String unit : UNITS) {
        String suffix = what + "-per-" + unit;
        Pattern pattern = Pattern.compile("tenant\\.limit\\.(" + TENANT + ")\\." + suffix);
        limits.add(Key.pattern("tenant.limit.<tenant>." + suffix, pattern.pattern(), Long.class, (k, v) -> {
          Matcher m = pattern.matcher(k.substring(MailwardenConfig.PREFIX.length()));
          m.matches();
          return new Limit("tenant.limit." + m.group(1) + "." + suffix, Values.nonNegativeLong(k, v), period(unit));
        }).format(l -> Long.toString(l.count()))
            .spring("tenants[<tenant>].limit." + suffix)
            .describe(what + " per " + unit + " of one tenant, instead of tenant.limit." + suffix + "; 0 for no limit"));
      }
    }
    return List.copyOf(limits);
  }

  private static Key<TenantSettings.SenderDomains> tenantSenderDomains() {
    Pattern pattern = Pattern.compile("tenant\\.(" + TENANT + ")\\.senders\\.allow-domains");
    return Key.<TenantSettings.SenderDomains>pattern("tenant.<tenant>.senders.allow-domains", pattern.pattern(),
        List.class, (k, v) -> {
          Matcher m = pattern.matcher(k.substring(MailwardenConfig.PREFIX.length()));
          m.matches();
          return new TenantSettings.SenderDomains(m.group(1), DomainRules.parse(k, v));
        }).format(d -> d.rules().toString())
        .spring("tenants[<tenant>].senders.allow-domains")
        .describe("if set, the envelope sender, From and Sender of this tenant's messages must be in these domains");
  }

  // ---- parsers ----

  private static Duration period(String unit) {
    return switch (unit) {
      case "second" -> Duration.ofSeconds(1);
      case "minute" -> Duration.ofMinutes(1);
      case "hour" -> Duration.ofHours(1);
      default -> Duration.ofDays(1);
    };
  }

  private static String millis(Duration d) {
    return d.toMillis() + "ms";
  }

  private static String app(String key, String value) {
    if (!APP_NAME.matcher(value.trim()).matches()) {
      throw new MailwardenConfigurationException(key, value,
          "expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return value.trim();
  }

  private static Set<DsnNotify> notify(String key, String raw) {
    Set<DsnNotify> set = EnumSet.noneOf(DsnNotify.class);
    String[] allowed = texts(DsnNotify.values(), DsnNotify::toString).toArray(String[]::new);
    for (String part : Values.list(raw)) {
      set.add(DsnNotify.valueOf(Values.oneOf(key, part, allowed)));
    }
    if (set.isEmpty()) {
      throw new MailwardenConfigurationException(key, raw,
          "expected NEVER, or one or more of FAILURE, DELAY, SUCCESS separated by commas");
    }
    if (set.contains(DsnNotify.NEVER) && set.size() > 1) {
      throw new MailwardenConfigurationException(key, raw, "NEVER cannot be combined with other values");
    }
    return Set.copyOf(set);
  }

  private static int maxConnections(String key, String value) {
    int n = Values.nonNegativeInt(key, value);
    if (n == 0) {
      throw new MailwardenConfigurationException(key, value, "expected a whole number from 1 to "
          + Integer.MAX_VALUE + "; to open a connection per send, set " + MailwardenConfig.PREFIX
          + "pool.enabled=false");
    }
    return n;
  }

  private static Duration positive(String key, String value, String problem) {
    Duration d = Values.duration(key, value);
    if (d.isZero()) {
      throw new MailwardenConfigurationException(key, value, problem);
    }
    return d;
  }

  private static int retries(String key, String value) {
    int n = Values.nonNegativeInt(key, value);
    if (n > 10) {
      throw new MailwardenConfigurationException(key, value, "expected 0 to 10 retries");
    }
    return n;
  }

  private static long cacheSize(String key, String value) {
    long n = Values.nonNegativeLong(key, value);
    if (n == 0) {
      throw new MailwardenConfigurationException(key, value, "expected at least 1 domain");
    }
    return n;
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
    return List.copyOf(servers);
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

  private static String servers(List<InetSocketAddress> servers) {
    return servers.stream().map(a -> {
      String host = a.getAddress().getHostAddress();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }).collect(Collectors.joining(","));
  }

  private static String path(String key, String value) {
    if (value.isBlank() || value.indexOf('\0') >= 0) {
      throw new MailwardenConfigurationException(key, value, "expected a file path");
    }
    try {
      java.nio.file.Path.of(value.trim());
    } catch (java.nio.file.InvalidPathException e) {
      throw new MailwardenConfigurationException(key, value, "expected a file path: " + e.getReason());
    }
    return value.trim();
  }

  private static String redisUri(String key, String value) {
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
    throw new MailwardenConfigurationException(key, value,
        "expected a Redis URI such as redis://127.0.0.1:6379/0, rediss://host:6380 or "
            + "redis-socket:///run/redis.sock");
  }

  private static Object redisClient(String key, Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      throw new MailwardenConfigurationException(key, String.valueOf(value),
          "expected a Redis client object (a Lettuce io.lettuce.core.RedisClient), put into the "
              + "properties in code; give a URI with " + MailwardenConfig.PREFIX + "redis.uri instead");
    }
    return value;
  }

  private static String keyPrefix(String key, String value) {
    String v = value.trim();
    if (v.isEmpty() || v.length() > 128 || v.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw new MailwardenConfigurationException(key, value,
          "expected 1 to 128 visible characters without spaces, for example 'mailwarden:' or 'orders:mw:'");
    }
    return v;
  }

  private static org.mailwarden.TenantResolver tenantResolver(String key, Object value) {
    if (value instanceof org.mailwarden.TenantResolver r) {
      return r;
    }
    throw new MailwardenConfigurationException(key, String.valueOf(value),
        "expected a TenantResolver object, set in code");
  }

  private static List<String> tenantNames(String key, String value) {
    List<String> names = new ArrayList<>();
    for (String name : Values.list(value)) {
      if (!name.matches(TENANT)) {
        throw new MailwardenConfigurationException(key, value, "'" + name + "' is not a tenant name: expected "
            + "1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private static List<MailwardenListener> listeners(String key, Object value) {
    if (value instanceof MailwardenListener l) {
      return List.of(l);
    }
    if (value instanceof Collection<?> c && c.stream().allMatch(MailwardenListener.class::isInstance)) {
      return c.stream().map(MailwardenListener.class::cast).toList();
    }
    throw new MailwardenConfigurationException(key, String.valueOf(value),
        "expected a MailwardenListener object (or a collection of them), set in code");
  }
}
