package org.mailwarden.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.mailwarden.DsnNotify;
import org.mailwarden.DsnReturn;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.internal.policy.AddressSyntax;
import org.mailwarden.spi.StoreSettings;

/**
 * The parsed, immutable Mailwarden configuration of one session: every {@code mail.mailwarden.*} key
 * checked once, up front, against the catalogue {@link Keys}. Unknown keys and malformed values are
 * refused with a message naming the key and the value; nothing falls back to a default silently.
 */
public final class MailwardenConfig {
  /** The defaults of the {@code store} and {@code redis.*} keys: everything in this JVM. */
  public static final StoreSettings LOCAL_STORE = new StoreSettings(Keys.STORE.defaultValue(), null, null,
      Keys.REDIS_KEY_PREFIX.defaultValue(), Keys.REDIS_TIMEOUT.defaultValue(),
      Keys.STORE_ON_FAILURE.defaultValue(), Keys.REDIS_CONNECT_TIMEOUT.defaultValue());

  /** The prefix of every key in session properties. */
  public static final String PREFIX = org.mailwarden.Mailwarden.PREFIX;

  /** DSN NOTIFY keywords of RFC 3461. */
  public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }

  /** What to do with a message that has invalid recipients. */
  public enum OnInvalid { REJECT_MESSAGE, DROP_RECIPIENT }

  /** The values of the keys that were set, by key; pattern keys and delegate keys are kept apart. */
  private final Map<Key<?>, Object> values;
  private final Set<Notify> notify;
  private final List<Limit> messageLimits;
  private final List<Limit> recipientLimits;
  private final Map<String, List<Limit>> domainLimits;
  private final Map<String, Object> delegateProperties;
  private final StoreSettings store;
  private final SuppressionSettings suppression;
  private final PoolSettings pool;
  private final DnsSettings dns;
  private final TenantSettings tenants;

  private MailwardenConfig(Map<Key<?>, Object> values, Map<String, Map<String, Limit>> domainLimits,
      Map<String, Object> delegateKeys, List<Object> tenantValues) {
    this.values = values;
    this.tenants = parseTenants(tenantValues);
    EnumSet<Notify> n = EnumSet.noneOf(Notify.class);
    get(Keys.DSN_NOTIFY).forEach(k -> n.add(Notify.valueOf(k.name())));
    this.notify = Set.copyOf(n);
    checkDsn();
    this.messageLimits = limits("limit.messages-");
    this.recipientLimits = limits("limit.recipients-");
    Map<String, List<Limit>> domains = new LinkedHashMap<>();
    domainLimits.forEach((d, limits) -> domains.put(d, List.copyOf(limits.values())));
    this.domainLimits = Collections.unmodifiableMap(domains);
    Map<String, Object> delegate = new LinkedHashMap<>();
    delegateKeys.forEach((k, v) -> delegate.put("mail." + delegateProtocol() + "." + k, v));
    this.delegateProperties = Collections.unmodifiableMap(delegate);
    this.store = parseStore();
    this.suppression = parseSuppression(store);
    this.pool = new PoolSettings(get(Keys.POOL_ENABLED), get(Keys.POOL_MAX_CONNECTIONS),
        get(Keys.POOL_MAX_MESSAGES), get(Keys.POOL_IDLE_TIMEOUT), get(Keys.POOL_MAX_WAIT));
    this.dns = new DnsSettings(values.containsKey(Keys.DNS_SERVERS) ? get(Keys.DNS_SERVERS) : List.of(),
        get(Keys.DNS_TIMEOUT), get(Keys.DNS_RETRIES), get(Keys.DNS_MAX_TTL), get(Keys.DNS_NEGATIVE_TTL),
        get(Keys.DNS_MAX_SIZE), get(Keys.DNS_ON_FAILURE));
  }

  /**
   * Parses the {@code mail.mailwarden.*} keys of session properties.
   *
   * @throws MailwardenConfigurationException naming the first unknown key or malformed value
   */
  public static MailwardenConfig from(Properties properties) {
    Map<Key<?>, Object> values = new HashMap<>();
    Map<String, Map<String, Limit>> domainLimits = new TreeMap<>();
    Map<String, Object> delegateKeys = new LinkedHashMap<>();
    List<Object> tenantValues = new java.util.ArrayList<>();
    // sorted, so the first error reported is the same from run to run
    Map<String, Object> ours = new TreeMap<>();
    flatten(properties).forEach((k, v) -> {
      if (k instanceof String key && key.startsWith(PREFIX)) {
        ours.put(key, v);
      }
    });
    ours.forEach((fullKey, raw) -> {
      String name = fullKey.substring(PREFIX.length());
      Key<?> key = Keys.find(name);
      if (key == null && Keys.DELEGATE_KEYS.matcher(name).matches()) {
        delegateKeys.put(name, raw);
      } else if (key == null) {
        throw new MailwardenConfigurationException(fullKey, String.valueOf(raw), "unknown Mailwarden key; "
            + "see the README for the keys (" + Keys.groups() + ") and the SMTP keys passed to the delegate");
      } else if (key.kind() == Key.Kind.PATTERN && !Keys.DOMAIN_LIMITS.contains(key)) {
        tenantValues.add(key.parse(fullKey, raw));
      } else if (key.kind() == Key.Kind.PATTERN) {
        Limit limit = (Limit) key.parse(fullKey, raw);
        if (limit.count() > 0) {
          String domain = limit.key().substring("limit.domain.".length(), limit.key().lastIndexOf('.'));
          domainLimits.computeIfAbsent(domain, d -> new LinkedHashMap<>()).put(limit.key(), limit);
        }
      } else {
        values.put(key, key.parse(fullKey, raw));
      }
    });
    return new MailwardenConfig(values, domainLimits, delegateKeys, tenantValues);
  }

  /**
   * Returns every entry of the properties, the defaults they inherit included; object values (such
   * as socket factories or listeners) are kept as they are.
   */
  public static Map<Object, Object> flatten(Properties properties) {
    Map<Object, Object> all = new HashMap<>();
    for (String name : properties.stringPropertyNames()) {
      all.put(name, properties.getProperty(name));
    }
    all.putAll(properties);
    return all;
  }

  /** Returns the value of a key: the one set, or the key's default (null for a key without one). */
  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    return values.containsKey(key) ? (T) values.get(key) : key.defaultValue();
  }

  public String app() {
    return get(Keys.APP);
  }

  /** Returns {@code smtp} or {@code smtps}. */
  public String delegateProtocol() {
    return get(Keys.DELEGATE).toString();
  }

  /** Returns the NOTIFY keywords to request, never empty. */
  public Set<Notify> dsnNotify() {
    return notify;
  }

  /** Returns {@code HDRS} or {@code FULL}. */
  public String ret() {
    return get(Keys.DSN_RET).toString();
  }

  public boolean envid() {
    return get(Keys.DSN_ENVID);
  }

  public boolean requireDsn() {
    return get(Keys.DSN_REQUIRE);
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
    return get(Keys.RECIPIENTS_PER_MESSAGE);
  }

  public Duration maxWait() {
    return get(Keys.MAX_WAIT);
  }

  /** Returns the bound on one send from its start to the last reply ({@code send-timeout}); zero: none. */
  public Duration sendTimeout() {
    return get(Keys.SEND_TIMEOUT);
  }

  public DomainRules allowDomains() {
    return get(Keys.ALLOW_DOMAINS);
  }

  public DomainRules denyDomains() {
    return get(Keys.DENY_DOMAINS);
  }

  public DomainRules senderDomains() {
    return get(Keys.SENDER_DOMAINS);
  }

  public OnInvalid onInvalid() {
    return OnInvalid.valueOf(get(Keys.ON_INVALID).name());
  }

  public AddressSyntax.Mode syntax() {
    return AddressSyntax.Mode.valueOf(get(Keys.SYNTAX).name());
  }

  /** Returns whether logs may show full recipient addresses ({@code log.show-addresses}). */
  public boolean showAddresses() {
    return get(Keys.SHOW_ADDRESSES);
  }

  public List<MailwardenListener> listeners() {
    return values.containsKey(Keys.LISTENER) ? get(Keys.LISTENER) : List.of();
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

  /** Returns whether recipient domains are checked in DNS ({@code recipients.check-mx}). */
  public boolean checkMx() {
    return get(Keys.CHECK_MX);
  }

  /** Returns the DNS settings ({@code dns.*}); used only when {@link #checkMx()} is true. */
  public DnsSettings dns() {
    return dns;
  }

  /** Returns {@code mode}: whether refusals are enforced or only reported. */
  public org.mailwarden.EnforcementMode mode() {
    return get(Keys.MODE);
  }

  /** Returns whether {@code mode=report-only}. */
  public boolean reportOnly() {
    return mode() == org.mailwarden.EnforcementMode.REPORT_ONLY;
  }

  /** Returns the {@code tenant.resolver} set in code, or null. */
  public org.mailwarden.TenantResolver tenantResolver() {
    return get(Keys.TENANT_RESOLVER);
  }

  /** Returns the {@code tenant.*} settings. */
  public TenantSettings tenants() {
    return tenants;
  }

  /** Returns the connection pool settings ({@code pool.*}). */
  public PoolSettings pool() {
    return pool;
  }

  /**
   * Returns the effective policies, defaults included, as keys without prefix mapped to their values,
   * in the order of {@link Keys#ALL} (the README's table). Limits that are off, keys without a value,
   * objects set in code and values that may hold secrets are left out.
   */
  public Map<String, String> effectivePolicies() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Key<?> key : Keys.ALL) {
      if (key.kind() == Key.Kind.OBJECT || key.secret()) {
        continue;
      }
      if (key.kind() == Key.Kind.PATTERN && key == Keys.TENANT_SENDER_DOMAINS) {
        new TreeMap<>(tenants.senderDomains()).forEach((t, rules) ->
            out.put("tenant." + t + ".senders.allow-domains", rules.toString()));
      } else if (key.kind() == Key.Kind.PATTERN && Keys.TENANT_OVERRIDE_LIMITS.contains(key)) {
        String suffix = key.name().substring("tenant.limit.<tenant>.".length());
        new TreeMap<>(tenants.overrides()).forEach((t, limits) -> {
          Limit l = limits.get("tenant.limit." + suffix);
          if (l != null) {
            out.put("tenant.limit." + t + "." + suffix, Long.toString(l.count()));
          }
        });
      } else if (key.kind() == Key.Kind.PATTERN) {
        domainLimits.values().forEach(limits -> limits.forEach(l -> out.putIfAbsent(l.key(),
            Long.toString(l.count()))));
      } else if (key == Keys.SUPPRESSION_STORE) {
        out.put(key.name(), suppression.store().name().toLowerCase(Locale.ROOT));
      } else if (key == Keys.SUPPRESSION_FILE) {
        if (suppression.file() != null) {
          out.put(key.name(), suppression.file().toString());
        }
      } else {
        show(out, key);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private <T> void show(Map<String, String> out, Key<T> key) {
    T value = get(key);
    if (value != null && !(value instanceof Limit l && l.count() == 0)) {
      out.put(key.name(), key.format(value));
    }
  }

  @Override
  public String toString() {
    return "MailwardenConfig" + effectivePolicies();
  }

  private List<Limit> limits(String prefix) {
    return Keys.LIMITS.stream().filter(k -> k.name().startsWith(prefix)).map(this::get)
        .filter(l -> l.count() > 0).toList();
  }

  private TenantSettings parseTenants(List<Object> parsed) {
    List<Limit> common = Keys.TENANT_LIMITS.stream().map(this::get).filter(l -> l.count() > 0).toList();
    Map<String, Map<String, Limit>> overrides = new TreeMap<>();
    Map<String, DomainRules> senders = new TreeMap<>();
    for (Object value : parsed) {
      if (value instanceof Limit l) {
        // tenant.limit.<tenant>.<what>-per-<unit>: keyed by the common limit it replaces
        String rest = l.key().substring("tenant.limit.".length());
        String tenant = rest.substring(0, rest.indexOf('.'));
        String common1 = "tenant.limit." + rest.substring(rest.indexOf('.') + 1);
        overrides.computeIfAbsent(tenant, t -> new LinkedHashMap<>()).put(common1, l);
      } else if (value instanceof TenantSettings.SenderDomains d) {
        senders.put(d.tenant(), d.rules());
      }
    }
    if (common.isEmpty() && overrides.isEmpty() && senders.isEmpty()) {
      return TenantSettings.NONE;
    }
    Map<String, Map<String, Limit>> frozen = new TreeMap<>();
    overrides.forEach((t, m) -> frozen.put(t, Collections.unmodifiableMap(m)));
    return new TenantSettings(common, frozen, senders);
  }

  private void checkDsn() {
    String notifyText = values.containsKey(Keys.DSN_NOTIFY) ? Keys.DSN_NOTIFY.format(get(Keys.DSN_NOTIFY)) : null;
    if (get(Keys.DSN_NOTIFY).contains(DsnNotify.SUCCESS) && !get(Keys.DSN_ALLOW_SUCCESS)) {
      throw new MailwardenConfigurationException(PREFIX + Keys.DSN_NOTIFY, notifyText,
          "SUCCESS receipts reveal the internal delivery path; set "
              + PREFIX + Keys.DSN_ALLOW_SUCCESS + "=true to allow them");
    }
    if (get(Keys.DSN_RET) == DsnReturn.FULL && !get(Keys.DSN_ALLOW_FULL)) {
      throw new MailwardenConfigurationException(PREFIX + Keys.DSN_RET, ret(),
          "bounces with the full body can carry malware back out under our name; set "
              + PREFIX + Keys.DSN_ALLOW_FULL + "=true to allow them");
    }
  }

  private StoreSettings parseStore() {
    String name = get(Keys.STORE);
    String uri = get(Keys.REDIS_URI);
    Object client = get(Keys.REDIS_CLIENT);
    if (!name.equals("local") && uri == null && client == null) {
      throw new MailwardenConfigurationException(PREFIX + Keys.REDIS_URI, "",
          "required when " + PREFIX + "store=" + name + " (for example redis://127.0.0.1:6379/0), "
              + "unless a client object is given as " + PREFIX + Keys.REDIS_CLIENT);
    }
    if (!name.equals("local") && uri != null && client != null) {
      throw new MailwardenConfigurationException(PREFIX + Keys.REDIS_CLIENT, client.getClass().getName(),
          "give either " + PREFIX + Keys.REDIS_URI + " or " + PREFIX + Keys.REDIS_CLIENT + ", not both");
    }
    StoreSettings settings = new StoreSettings(name, uri, client, get(Keys.REDIS_KEY_PREFIX),
        get(Keys.REDIS_TIMEOUT), get(Keys.STORE_ON_FAILURE), get(Keys.REDIS_CONNECT_TIMEOUT));
    return name.equals("local") && settings.keyPrefix().equals(LOCAL_STORE.keyPrefix())
        && settings.timeout().equals(LOCAL_STORE.timeout())
        && settings.connectTimeout().equals(LOCAL_STORE.connectTimeout())
        && settings.onFailure() == LOCAL_STORE.onFailure() ? LOCAL_STORE : settings;
  }

  private SuppressionSettings parseSuppression(StoreSettings store) {
    if (get(Keys.SOFT_THRESHOLD) > 0 && get(Keys.SOFT_WINDOW).isZero()) {
      throw new MailwardenConfigurationException(PREFIX + Keys.SOFT_WINDOW, "0",
          "soft failures need a window to be counted in; set suppression.soft-threshold=0 to turn "
              + "soft suppression off");
    }
    Duration window = get(Keys.REPUTATION_WINDOW);
    if (get(Keys.REPUTATION_ENABLED) && window.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new MailwardenConfigurationException(PREFIX + Keys.REPUTATION_WINDOW, window.toString(),
          "expected at least 1m");
    }
    checkAtMost(Keys.BOUNCE_WARNING, Keys.BOUNCE_PAUSE);
    checkAtMost(Keys.COMPLAINT_WARNING, Keys.COMPLAINT_PAUSE);
    SuppressionSettings.Store where = values.containsKey(Keys.SUPPRESSION_STORE) ? get(Keys.SUPPRESSION_STORE)
        : store.isShared() ? SuppressionSettings.Store.SHARED
        // nothing on disk unless asked for: a journal in the home directory outlived its application and
        // locked out a second instance with the same home (issue 19)
        : values.containsKey(Keys.SUPPRESSION_FILE) ? SuppressionSettings.Store.FILE : SuppressionSettings.Store.MEMORY;
    Path path = null;
    if (where == SuppressionSettings.Store.FILE) {
      String file = get(Keys.SUPPRESSION_FILE);
      path = (file != null ? Path.of(file)
          : Path.of(System.getProperty("user.home"), ".mailwarden", app() + ".suppressions"))
          .toAbsolutePath().normalize();
    }
    return new SuppressionSettings(where, path, get(Keys.SOFT_THRESHOLD), get(Keys.SOFT_WINDOW),
        get(Keys.SUPPRESSION_TTL), get(Keys.CORRELATION_WINDOW), get(Keys.CORRELATION_SIZE),
        new SuppressionSettings.ReputationSettings(get(Keys.REPUTATION_ENABLED), window, get(Keys.MIN_SENDS),
            get(Keys.BOUNCE_WARNING), get(Keys.BOUNCE_PAUSE), get(Keys.COMPLAINT_WARNING),
            get(Keys.COMPLAINT_PAUSE), get(Keys.RESUME)));
  }

  /**
   * Refuses a warning threshold above its pause threshold, blaming the one the application set: a
   * pause set alone below the default warning is the pause's fault, not the warning's (issue 19).
   * Both values are shown as percentages, the form the keys are written in.
   */
  private void checkAtMost(Key<Double> warning, Key<Double> pause) {
    if (get(warning) > get(pause)) {
      if (values.containsKey(pause) && !values.containsKey(warning)) {
        throw new MailwardenConfigurationException(PREFIX + pause, pause.format(get(pause)),
            "must not be below " + warning + " (" + warning.format(get(warning))
            + ", its default); rates are percentages: 20% is written"
            + " 20%, and 0.2 means 0.2%");
      }
      throw new MailwardenConfigurationException(PREFIX + warning, warning.format(get(warning)),
          "must not be above " + pause + " (" + pause.format(get(pause))
          + (values.containsKey(pause) ? "" : ", its default") + "); rates are percentages: 20% is written"
          + " 20%, and 0.2 means 0.2%");
    }
  }
}
