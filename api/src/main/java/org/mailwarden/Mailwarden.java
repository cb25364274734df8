package org.mailwarden;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.mailwarden.internal.auth.ForwardingAuthenticator;
import org.mailwarden.suppression.ReputationGuard;
import org.mailwarden.suppression.SuppressionList;

/**
 * The explicit entry points of Mailwarden, for code that prefers to name it rather than set
 * {@code mail.transport.protocol.rfc822=mailwarden}.
 *
 * <ul>
 *   <li>{@link #send(Message)}: a drop-in for {@code Transport.send(msg)} that reads the policies from
 *       the message's session properties ({@code mail.mailwarden.*}) and returns a {@link SendReport}.
 *   <li>{@link #builder()}: policies configured in code; the instance's {@link #session(Properties)}
 *       and {@link #send(Message)} apply them.
 * </ul>
 *
 * <p>All routes go through the same {@code mailwarden} transport, so they behave identically.
 * Instances are immutable and thread-safe.
 *
 * <p>An instance built with {@link #builder()} owns its state: its quotas, suppression list, pooled
 * connections and threads belong to it, not to the JVM (two instances with the same {@code app} do
 * not share a quota), and {@link #close()} releases them. The static {@link #send(Message)} and
 * sessions configured by properties alone share the JVM-wide state, which lives as long as the JVM.
 */
public final class Mailwarden implements AutoCloseable {
  /** The Jakarta Mail protocol name of the Mailwarden transport. */
  public static final String PROTOCOL = "mailwarden";
  /** The prefix of Mailwarden's keys in Jakarta Mail session properties. */
  public static final String PREFIX = "mail.mailwarden.";

  /**
   * The session key under which an instance hands its state holder to the transport, which keeps the
   * instance's environment in it (an implementation detail of mailwarden-impl).
   */
  private static final String STATE_KEY = PREFIX + "environment";
  /** Put in {@link #state} by {@link #close()} when no state was ever made. */
  private static final AutoCloseable CLOSED = () -> { };

  /**
   * The header that carries a message's tenant ({@link #tenant(Message, String)}). Mailwarden reads
   * it and removes it before the message is written, so it never reaches the server.
   */
  public static final String TENANT_HEADER = "X-Mailwarden-Tenant";

  private static final java.util.regex.Pattern TENANT_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private final Map<String, Object> policies;
  private final Map<Session, Session> derived = Collections.synchronizedMap(new WeakHashMap<>());
  /** The instance's state, made by the transport at the first use; see the class comment. */
  private final AtomicReference<AutoCloseable> state = new AtomicReference<>();

  private Mailwarden(Map<String, Object> policies) {
    this.policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
  }

  /** Returns a new builder with every policy at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends a message through Mailwarden to all its recipients, like {@code Transport.send(msg)},
   * with the policies and delegate settings of the message's session.
   *
   * @param message the message; it must have a session
   * @return what became of each recipient
   * @throws SendRefusedException when a policy refused the message or some recipients
   * @throws MessagingException when delivery failed
   * @throws MailwardenConfigurationException when a {@code mail.mailwarden.*} key is malformed
   */
  public static SendReport send(Message message) throws MessagingException {
    Objects.requireNonNull(message, "message");
    message.saveChanges();
    return deliver(sessionOf(message), message, recipientsOf(message));
  }

  /**
   * Sends a message through Mailwarden to the given addresses, like
   * {@code Transport.send(msg, addresses)}.
   *
   * @throws SendRefusedException when a policy refused the message or some recipients
   * @throws MessagingException when delivery failed
   */
  public static SendReport send(Message message, Address... addresses) throws MessagingException {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(addresses, "addresses");
    message.saveChanges();
    return deliver(sessionOf(message), message, addresses);
  }

  /**
   * Sends a message with this instance's policies; the delegate (host, port, credentials, TLS) is
   * configured by the message's session as usual.
   *
   * @throws SendRefusedException when a policy refused the message or some recipients
   * @throws MessagingException when delivery failed
   */
  public SendReport sendMessage(Message message) throws MessagingException {
    Objects.requireNonNull(message, "message");
    message.saveChanges();
    Session session = derived.computeIfAbsent(sessionOf(message),
        s -> Session.getInstance(merge(s.getProperties()), new ForwardingAuthenticator(s)));
    return deliver(session, message, recipientsOf(message));
  }

  /**
   * Returns a new session that sends through Mailwarden with this instance's policies:
   * {@code Transport.send} and {@code session.getTransport()} both use the {@code mailwarden}
   * transport, which delivers with the SMTP settings in {@code smtpProperties}.
   */
  public Session session(Properties smtpProperties) {
    Objects.requireNonNull(smtpProperties, "smtpProperties");
    return Session.getInstance(merge(smtpProperties));
  }

  /**
   * Marks the tenant a message is sent for: its quotas ({@code tenant.limit.*}), sending domains
   * ({@code tenant.<tenant>.senders.allow-domains}) and reputation are kept apart from the other
   * tenants', and the application-wide limits apply on top. The tenant travels in the
   * {@link #TENANT_HEADER} header, which Mailwarden removes before the message is written.
   *
   * @param message the message to mark; a tenant it already had is replaced
   * @param tenant 1 to 64 letters, digits, '_' or '-', starting with a letter or digit
   * @return the message
   * @throws IllegalArgumentException when {@code tenant} is not such a name
   * @throws MessagingException when the message cannot be changed (a message of a read-only folder)
   */
  public static <M extends Message> M tenant(M message, String tenant) throws MessagingException {
    Objects.requireNonNull(message, "message");
    message.setHeader(TENANT_HEADER, checkTenant(tenant));
    return message;
  }

  /**
   * Returns the tenant name as given when it is one: 1 to 64 letters, digits, '_' or '-', starting
   * with a letter or digit.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static String checkTenant(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (!TENANT_NAME.matcher(tenant).matches()) {
      throw new IllegalArgumentException("tenant '" + tenant.replaceAll("\\p{Cntrl}", "?")
          + "' is not a tenant name: expected 1 to 64 letters, digits, '_' or '-', starting with a "
          + "letter or digit");
    }
    return tenant;
  }

  /**
   * Returns the suppression list of the session's application: list, add or remove addresses, and
   * {@link SuppressionList#record record} bounces that the application receives itself (a webhook, a
   * pipe). Every session of one application ({@code mail.mailwarden.app}) in the JVM shares it.
   *
   * @throws MailwardenConfigurationException when a {@code mail.mailwarden.*} key is malformed
   */
  public static SuppressionList suppressions(Session session) {
    Objects.requireNonNull(session, "session");
    return guarded(session).suppressions();
  }

  /**
   * Returns the reputation guard of the session's application: its figures, and
   * {@link ReputationGuard#resume()} for an operator after a pause.
   *
   * @throws MailwardenConfigurationException when a {@code mail.mailwarden.*} key is malformed
   */
  public static ReputationGuard reputation(Session session) {
    Objects.requireNonNull(session, "session");
    return guarded(session).reputation();
  }

  /** Returns the suppression list of this instance's application; see {@link #suppressions(Session)}. */
  public SuppressionList suppressions() {
    return suppressions(session(new Properties()));
  }

  /** Returns the reputation guard of this instance's application; see {@link #reputation(Session)}. */
  public ReputationGuard reputation() {
    return reputation(session(new Properties()));
  }

  private static GuardedTransport guarded(Session session) {
    try {
      return (GuardedTransport) transportOf(session);
    } catch (NoSuchProviderException e) {
      throw new IllegalStateException("The mailwarden transport is not on the class path: "
          + "add org.mailwarden:mailwarden-impl", e);
    }
  }

  /**
   * Releases this instance's state: pooled connections are closed, the suppression store and the
   * connections of a shared store are closed, and its threads stop. Sends through this instance or its
   * sessions fail afterwards. Calling it again does nothing.
   */
  @Override
  public void close() {
    AutoCloseable current;
    synchronized (state) {
      current = state.get();
      if (current == null) {
        state.set(CLOSED);
        return;
      }
    }
    try {
      current.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Could not release Mailwarden's state", e);
    }
  }

  /** Returns the policy settings of this instance, keyed without the {@code mail.mailwarden.} prefix. */
  public Map<String, Object> policies() {
    return policies;
  }

  @Override
  public String toString() {
    return "Mailwarden" + policies;
  }

  private Properties merge(Properties base) {
    Properties merged = new Properties();
    merged.putAll(base);
    policies.forEach((k, v) -> merged.put(PREFIX + k, v));
    merged.put(STATE_KEY, state);
    merged.put("mail.transport.protocol", PROTOCOL);
    merged.put("mail.transport.protocol.rfc822", PROTOCOL);
    return merged;
  }

  private static Session sessionOf(Message message) {
    Session session = message.getSession();
    if (session == null) {
      throw new IllegalArgumentException("message has no session: create it with new MimeMessage(session)");
    }
    return session;
  }

  private static Address[] recipientsOf(Message message) throws MessagingException {
    Address[] all = message.getAllRecipients();
    if (all == null || all.length == 0) {
      throw new SendRefusedException(RefusalReason.NO_RECIPIENTS, "message has no recipients",
          new Address[0]);
    }
    return all;
  }

  private static SendReport deliver(Session session, Message message, Address[] to)
      throws MessagingException {
    Transport transport = transportOf(session);
    transport.connect();
    try {
      transport.sendMessage(message, to);
      return ((GuardedTransport) transport).lastReport().orElseThrow();
    } finally {
      transport.close();
    }
  }

  private static Transport transportOf(Session session) throws NoSuchProviderException {
    Transport transport = session.getTransport(PROTOCOL);
    if (!(transport instanceof GuardedTransport)) {
      throw new NoSuchProviderException("protocol '" + PROTOCOL + "' is bound to "
          + transport.getClass().getName() + ", not to Mailwarden's transport");
    }
    return transport;
  }

  /**
   * Configures Mailwarden in code. Each method sets the policy key named in its description (the
   * README lists every key with its default); {@link #property(String, Object)} sets any key by name.
   *
   * <p>Like Caffeine's builder: each option may be set once (a second call throws
   * {@link IllegalStateException} naming the option and the value it has); a value is checked when
   * it is set, and an {@link IllegalArgumentException} names the option and the bad value;
   * combinations of options are checked by {@link #build()}, which also has Mailwarden parse every
   * key and throws a {@link MailwardenConfigurationException} naming the key and the value at fault
   * (for example an application name with a space in it). Options that are not set keep their
   * defaults. {@link #toString()} shows only what was set. A builder is not thread-safe.
   */
  public static final class Builder {
    private final Map<String, Object> policies = new LinkedHashMap<>();
    private final List<MailwardenListener> listeners = new ArrayList<>();
    private Set<DsnNotify> notify = EnumSet.of(DsnNotify.FAILURE);
    private DsnReturn ret = DsnReturn.HDRS;
    private boolean allowSuccess;
    private boolean allowFull;

    private Builder() {}

    /**
     * Sets {@code app}: the application's name, the quota key and the label in logs and metrics;
     * default {@code default}. Its syntax (1 to 64 letters, digits, '.', '_' or '-') is checked by
     * {@link #build()}.
     *
     * @throws IllegalArgumentException when {@code app} is blank
     * @throws IllegalStateException when it was already set
     */
    public Builder app(String app) {
      Objects.requireNonNull(app, "app");
      require(!app.isBlank(), "app", app, "must not be blank");
      return set("app", app.trim());
    }

    /**
     * Sets {@code delegate}: the transport underneath, {@link DelegateProtocol#SMTP} by default.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder delegate(DelegateProtocol protocol) {
      return set("delegate", Objects.requireNonNull(protocol, "protocol").toString());
    }

    /**
     * Sets {@code limit.messages-per-<unit>}, an application-wide message quota; off (0) by default.
     *
     * @param per one second, minute, hour or day
     * @param limit messages per period, 0 to turn the limit off
     * @throws IllegalArgumentException when {@code per} is another duration or {@code limit} is negative
     * @throws IllegalStateException when this limit was already set
     */
    public Builder messagesPer(Duration per, long limit) {
      return limit("limit.messages-per-" + unit(per, true), limit);
    }

    /**
     * Sets {@code limit.recipients-per-<unit>}, an application-wide recipient quota (each recipient
     * counts one); by default 14 per second and 50000 per day, the others off.
     *
     * @param per one second, minute, hour or day
     * @param limit recipients per period, 0 to turn the limit off
     * @throws IllegalArgumentException when {@code per} is another duration or {@code limit} is negative
     * @throws IllegalStateException when this limit was already set
     */
    public Builder recipientsPer(Duration per, long limit) {
      return limit("limit.recipients-per-" + unit(per, true), limit);
    }

    /**
     * Sets {@code limit.domain.<domain>.recipients-per-<unit>}, a quota of the recipients in one
     * domain; none by default. The domain's syntax is checked by {@link #build()}.
     *
     * @param per one minute, hour or day
     * @param limit recipients of that domain per period, 0 to turn the limit off
     * @throws IllegalArgumentException when {@code per} is another duration or {@code limit} is negative
     * @throws IllegalStateException when this limit was already set
     */
    public Builder domainRecipientsPer(String domain, Duration per, long limit) {
      Objects.requireNonNull(domain, "domain");
      require(!domain.isBlank(), "domain", domain, "must not be blank");
      return limit("limit.domain." + domain.trim() + ".recipients-per-" + unit(per, false), limit);
    }

    /**
     * Sets {@code limit.recipients-per-message}: larger messages are refused whole; 50 by default.
     *
     * @param limit the most recipients of one message, 0 for no limit
     * @throws IllegalArgumentException when {@code limit} is negative
     * @throws IllegalStateException when it was already set
     */
    public Builder recipientsPerMessage(int limit) {
      return limit("limit.recipients-per-message", limit);
    }

    /**
     * Sets {@code limit.max-wait}: how long a send may wait for quota before it is refused; zero (no
     * wait) by default.
     *
     * @throws IllegalArgumentException when {@code maxWait} is negative
     * @throws IllegalStateException when it was already set
     */
    public Builder maxWait(Duration maxWait) {
      Objects.requireNonNull(maxWait, "maxWait");
      require(!maxWait.isNegative(), "limit.max-wait", maxWait, "must not be negative");
      return set("limit.max-wait", maxWait.toMillis() + "ms");
    }

    /**
     * Sets {@code recipients.allow-domains}: only these domains may receive ({@code example.com},
     * {@code *.example.org}); all by default. The patterns are checked by {@link #build()}.
     *
     * @throws IllegalArgumentException when no domain is given
     * @throws IllegalStateException when it was already set
     */
    public Builder allowRecipientDomains(String... domains) {
      return set("recipients.allow-domains", domains("recipients.allow-domains", domains));
    }

    /**
     * Sets {@code recipients.deny-domains}: these domains never receive; none by default.
     *
     * @throws IllegalArgumentException when no domain is given
     * @throws IllegalStateException when it was already set
     */
    public Builder denyRecipientDomains(String... domains) {
      return set("recipients.deny-domains", domains("recipients.deny-domains", domains));
    }

    /**
     * Sets {@code senders.allow-domains}: the From addresses and the envelope sender must be in these
     * domains; all by default.
     *
     * @throws IllegalArgumentException when no domain is given
     * @throws IllegalStateException when it was already set
     */
    public Builder allowSenderDomains(String... domains) {
      return set("senders.allow-domains", domains("senders.allow-domains", domains));
    }

    /**
     * Sets {@code recipients.on-invalid}; {@link OnInvalidRecipient#REJECT_MESSAGE} by default.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder onInvalidRecipient(OnInvalidRecipient action) {
      return set("recipients.on-invalid", Objects.requireNonNull(action, "action").toString());
    }

    /**
     * Sets {@code recipients.syntax}; {@link RecipientSyntax#STRICT} by default.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder recipientSyntax(RecipientSyntax syntax) {
      return set("recipients.syntax", Objects.requireNonNull(syntax, "syntax").toString());
    }

    /**
     * Sets {@code recipients.check-mx}: whether recipient domains that cannot receive mail are
     * refused after a DNS lookup; false by default.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder checkMx(boolean checkMx) {
      return set("recipients.check-mx", Boolean.toString(checkMx));
    }

    /**
     * Sets {@code dsn.notify}, the NOTIFY keywords sent on every recipient; {@link DsnNotify#FAILURE}
     * by default. {@link DsnNotify#SUCCESS} needs {@link #allowDsnSuccess(boolean) allowDsnSuccess(true)}
     * (checked by {@link #build()}).
     *
     * @throws IllegalArgumentException when {@link DsnNotify#NEVER} is combined with another keyword
     * @throws IllegalStateException when it was already set
     */
    public Builder dsnNotify(DsnNotify first, DsnNotify... more) {
      Objects.requireNonNull(first, "first");
      Set<DsnNotify> all = EnumSet.of(first);
      for (DsnNotify n : Objects.requireNonNull(more, "more")) {
        all.add(Objects.requireNonNull(n, "more"));
      }
      require(!all.contains(DsnNotify.NEVER) || all.size() == 1, "dsn.notify", all,
          "NEVER cannot be combined with other keywords");
      set("dsn.notify", join(all));
      notify = all;
      return this;
    }

    /**
     * Sets {@code dsn.allow-success}: whether {@code dsn.notify} may contain
     * {@link DsnNotify#SUCCESS}; false by default.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder allowDsnSuccess(boolean allow) {
      set("dsn.allow-success", Boolean.toString(allow));
      allowSuccess = allow;
      return this;
    }

    /**
     * Sets {@code dsn.ret}; {@link DsnReturn#HDRS} by default. {@link DsnReturn#FULL} needs
     * {@link #allowDsnFull(boolean) allowDsnFull(true)} (checked by {@link #build()}).
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder dsnReturn(DsnReturn ret) {
      set("dsn.ret", Objects.requireNonNull(ret, "ret").toString());
      this.ret = ret;
      return this;
    }

    /**
     * Sets {@code dsn.allow-full}: whether {@code dsn.ret} may be {@link DsnReturn#FULL}; false by
     * default.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder allowDsnFull(boolean allow) {
      set("dsn.allow-full", Boolean.toString(allow));
      allowFull = allow;
      return this;
    }

    /**
     * Sets {@code dsn.envid}: whether every message gets a unique ENVID; true by default.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder dsnEnvid(boolean envid) {
      return set("dsn.envid", Boolean.toString(envid));
    }

    /**
     * Sets {@code dsn.require}: whether to refuse sending when the server does not advertise DSN;
     * false (send and warn once) by default.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder requireDsn(boolean require) {
      return set("dsn.require", Boolean.toString(require));
    }

    /**
     * Sets {@code mode}: {@link EnforcementMode#ENFORCE} (the default) refuses what a policy refuses;
     * {@link EnforcementMode#REPORT_ONLY} sends it anyway and reports the refusal.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder mode(EnforcementMode mode) {
      return set("mode", Objects.requireNonNull(mode, "mode").toString());
    }

    /**
     * Sets {@code tenant.resolver}: finds the tenant of a message that names none; none by default.
     *
     * @throws IllegalStateException when it was already set
     */
    public Builder tenantResolver(TenantResolver resolver) {
      return set("tenant.resolver", Objects.requireNonNull(resolver, "resolver"));
    }

    /**
     * Adds a listener ({@code listener}); it is called for every message. Several listeners may be
     * added; they are called in the order they were added.
     *
     * @throws IllegalArgumentException when this listener was already added
     */
    public Builder listener(MailwardenListener listener) {
      Objects.requireNonNull(listener, "listener");
      require(listeners.stream().noneMatch(l -> l == listener), "listener", listener, "was already added");
      listeners.add(listener);
      return this;
    }

    /**
     * Sets a policy key by name, without the {@code mail.mailwarden.} prefix, for example
     * {@code property("limit.recipients-per-day", "1000")}; for the keys that have no method here.
     * The value is checked by {@link #build()}.
     *
     * @throws IllegalStateException when the key was already set, by this method or another
     */
    public Builder property(String key, Object value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value for " + key);
      if (key.startsWith(PREFIX)) {
        key = key.substring(PREFIX.length());
      }
      if (key.equals("listener") && value instanceof MailwardenListener listener) {
        return listener(listener);
      }
      return set(key, value);
    }

    /**
     * Returns the configured instance.
     *
     * @throws IllegalStateException when options conflict ({@link DsnNotify#SUCCESS} without
     *     {@code allowDsnSuccess(true)}, {@link DsnReturn#FULL} without {@code allowDsnFull(true)}),
     *     or when no Mailwarden transport is on the class path
     * @throws MailwardenConfigurationException naming the first unknown key or malformed value
     */
    public Mailwarden build() {
      if (notify.contains(DsnNotify.SUCCESS) && !allowSuccess) {
        throw new IllegalStateException("dsn.notify " + join(notify) + " needs allowDsnSuccess(true): "
            + "SUCCESS receipts reveal the internal delivery path");
      }
      if (ret == DsnReturn.FULL && !allowFull) {
        throw new IllegalStateException("dsn.ret FULL needs allowDsnFull(true): bounces with the full "
            + "body can carry malware back out under the sender's name");
      }
      Map<String, Object> all = new LinkedHashMap<>(policies);
      if (!listeners.isEmpty()) {
        all.put("listener", List.copyOf(listeners));
      }
      Mailwarden mailwarden = new Mailwarden(all);
      try {
        Transport transport = transportOf(mailwarden.session(new Properties()));
        ((GuardedTransport) transport).checkConfiguration();
      } catch (NoSuchProviderException e) {
        throw new IllegalStateException("The mailwarden transport is not on the class path: "
            + "add org.mailwarden:mailwarden-impl", e);
      }
      return mailwarden;
    }

    /** Returns the options that were set, such as {@code Mailwarden.Builder{app=orders}}. */
    @Override
    public String toString() {
      Map<String, Object> all = new LinkedHashMap<>(policies);
      if (!listeners.isEmpty()) {
        all.put("listener", listeners);
      }
      return "Mailwarden.Builder" + all;
    }

    private Builder set(String key, Object value) {
      Object previous = policies.putIfAbsent(key, value);
      if (previous != null) {
        throw new IllegalStateException(key + " was already set to " + previous);
      }
      return this;
    }

    private Builder limit(String key, long limit) {
      require(limit >= 0, key, limit, "must not be negative (0 turns the limit off)");
      return set(key, Long.toString(limit));
    }

    private static String domains(String key, String... domains) {
      Objects.requireNonNull(domains, "domains");
      require(domains.length > 0, key, "", "needs at least one domain");
      for (String d : domains) {
        Objects.requireNonNull(d, "domains");
        require(!d.isBlank() && !d.contains(","), key, d, "expected one domain per argument");
      }
      return String.join(",", domains);
    }

    private static String join(Set<DsnNotify> notify) {
      return String.join(",", notify.stream().map(DsnNotify::toString).toList());
    }

    private static void require(boolean condition, String option, Object value, String problem) {
      if (!condition) {
        throw new IllegalArgumentException(option + " " + problem + ": " + value);
      }
    }

    private static String unit(Duration per, boolean seconds) {
      Objects.requireNonNull(per, "per");
      for (String[] unit : UNITS) {
        if (per.equals(Duration.parse(unit[0])) && (seconds || !unit[1].equals("second"))) {
          return unit[1];
        }
      }
      throw new IllegalArgumentException("per must be one " + (seconds ? "second, " : "")
          + "minute, hour or day, not " + per);
    }

    private static final String[][] UNITS = {
        {"PT1S", "second"}, {"PT1M", "minute"}, {"PT1H", "hour"}, {"PT24H", "day"}};
  }
}
