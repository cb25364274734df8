package org.mailwarden;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.WeakHashMap;
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
 */
public final class Mailwarden {
  /** The Jakarta Mail protocol name of the Mailwarden transport. */
  public static final String PROTOCOL = "mailwarden";
  /** The prefix of Mailwarden's keys in Jakarta Mail session properties. */
  public static final String PREFIX = "mail.mailwarden.";

  private final Map<String, Object> policies;
  private final Map<Session, Session> derived = Collections.synchronizedMap(new WeakHashMap<>());

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
   * Configures Mailwarden in code. Each method sets the policy key named in its description (see the
   * README for defaults); {@link #property(String, Object)} sets any key by name. Values are checked
   * by {@link #build()}, which names the key and the value at fault.
   */
  public static final class Builder {
    private final Map<String, Object> policies = new LinkedHashMap<>();

    private Builder() {}

    /** Sets {@code app}: the application name, the quota key and the label in logs and metrics. */
    public Builder app(String app) {
      return property("app", app);
    }

    /** Sets {@code delegate}: {@code smtp} (default) or {@code smtps}. */
    public Builder delegate(String protocol) {
      return property("delegate", protocol);
    }

    /** Sets {@code limit.messages-per-<unit>}; {@code per} is one second, minute, hour or day. */
    public Builder messagesPer(Duration per, long limit) {
      return property("limit.messages-per-" + unit(per), Long.toString(limit));
    }

    /** Sets {@code limit.recipients-per-<unit>}; {@code per} is one second, minute, hour or day. */
    public Builder recipientsPer(Duration per, long limit) {
      return property("limit.recipients-per-" + unit(per), Long.toString(limit));
    }

    /** Sets {@code limit.domain.<domain>.recipients-per-<unit>}; {@code per} is one minute, hour or day. */
    public Builder domainRecipientsPer(String domain, Duration per, long limit) {
      Objects.requireNonNull(domain, "domain");
      return property("limit.domain." + domain + ".recipients-per-" + unit(per), Long.toString(limit));
    }

    /** Sets {@code limit.recipients-per-message}. */
    public Builder recipientsPerMessage(int limit) {
      return property("limit.recipients-per-message", Integer.toString(limit));
    }

    /** Sets {@code limit.max-wait}: how long a send may wait for quota before it is refused. */
    public Builder maxWait(Duration maxWait) {
      Objects.requireNonNull(maxWait, "maxWait");
      return property("limit.max-wait", maxWait.toMillis() + "ms");
    }

    /** Sets {@code recipients.allow-domains}. */
    public Builder allowRecipientDomains(String... domains) {
      return property("recipients.allow-domains", String.join(",", domains));
    }

    /** Sets {@code recipients.deny-domains}. */
    public Builder denyRecipientDomains(String... domains) {
      return property("recipients.deny-domains", String.join(",", domains));
    }

    /** Sets {@code senders.allow-domains}. */
    public Builder allowSenderDomains(String... domains) {
      return property("senders.allow-domains", String.join(",", domains));
    }

    /** Sets {@code recipients.on-invalid}: {@code reject-message} or {@code drop-recipient}. */
    public Builder onInvalidRecipient(String action) {
      return property("recipients.on-invalid", action);
    }

    /** Sets {@code recipients.syntax}: {@code strict} or {@code lenient}. */
    public Builder recipientSyntax(String syntax) {
      return property("recipients.syntax", syntax);
    }

    /** Sets {@code dsn.notify}, for example {@code "FAILURE", "DELAY"}. */
    public Builder dsnNotify(String... notify) {
      return property("dsn.notify", String.join(",", notify));
    }

    /** Sets {@code dsn.ret}: {@code HDRS} or {@code FULL}. */
    public Builder dsnRet(String ret) {
      return property("dsn.ret", ret);
    }

    /** Sets {@code dsn.require}: whether to refuse sending when the server has no DSN. */
    public Builder requireDsn(boolean require) {
      return property("dsn.require", Boolean.toString(require));
    }

    /** Adds a listener ({@code listener}); it is called for every message. */
    public Builder listener(MailwardenListener listener) {
      return property("listener", Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Sets a policy key by name, without the {@code mail.mailwarden.} prefix, for example
     * {@code property("limit.recipients-per-day", "1000")}.
     */
    public Builder property(String key, Object value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value for " + key);
      if (key.startsWith(PREFIX)) {
        key = key.substring(PREFIX.length());
      }
      policies.put(key, value);
      return this;
    }

    /**
     * Returns the configured instance.
     *
     * @throws MailwardenConfigurationException naming the first unknown key or malformed value
     * @throws IllegalStateException when no Mailwarden transport is on the class path
     */
    public Mailwarden build() {
      Mailwarden mailwarden = new Mailwarden(policies);
      try {
        Transport transport = transportOf(mailwarden.session(new Properties()));
        ((GuardedTransport) transport).checkConfiguration();
      } catch (NoSuchProviderException e) {
        throw new IllegalStateException("The mailwarden transport is not on the class path: "
            + "add org.mailwarden:mailwarden-impl", e);
      }
      return mailwarden;
    }

    @Override
    public String toString() {
      return "Mailwarden.Builder" + policies;
    }

    private static String unit(Duration per) {
      Objects.requireNonNull(per, "per");
      for (String[] unit : UNITS) {
        if (per.equals(Duration.parse(unit[0]))) {
          return unit[1];
        }
      }
      throw new IllegalArgumentException("per must be one second, minute, hour or day, not " + per
          + "; allowed: " + Arrays.deepToString(UNITS));
    }

    private static final String[][] UNITS = {
        {"PT1S", "second"}, {"PT1M", "minute"}, {"PT1H", "hour"}, {"PT24H", "day"}};
  }
}
