package org.mailwarden.internal;

import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.mailwarden.MailwardenListener;
import org.mailwarden.internal.auth.ForwardingAuthenticator;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.MailwardenConfig;
import org.mailwarden.internal.dns.DnsStats;
import org.mailwarden.internal.dns.MxChecker;
import org.mailwarden.internal.event.CompositeListener;
import org.mailwarden.internal.event.EngineListener;
import org.mailwarden.internal.event.LoggingListener;
import org.mailwarden.internal.policy.DsnPolicy;
import org.mailwarden.internal.policy.HeaderPolicy;
import org.mailwarden.internal.policy.MxPolicy;
import org.mailwarden.internal.policy.QuotaPolicy;
import org.mailwarden.internal.policy.RecipientCountPolicy;
import org.mailwarden.internal.policy.RecipientPolicy;
import org.mailwarden.internal.policy.ReputationPolicy;
import org.mailwarden.internal.policy.ReportOnlyPolicy;
import org.mailwarden.internal.policy.SuppressionPolicy;
import org.mailwarden.internal.policy.SenderPolicy;
import org.mailwarden.internal.pool.ConnectionPool;
import org.mailwarden.internal.policy.StoreFailurePolicy;
import org.mailwarden.internal.smtp.DsnSmtpTransport;
import org.mailwarden.internal.suppression.Admission;
import org.mailwarden.internal.suppression.Deliverability;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.StoreStatus;

/**
 * Everything Mailwarden builds once per session: the parsed configuration, the policy chain and the
 * session the delegate transport runs in. Engines are cached per {@link Session} in the session's
 * {@link Environment} (weakly, so a discarded session takes its engine with it); every transport of a
 * session shares one.
 */
public final class Engine {
  /** Connect, read and write timeout applied when the application set none (milliseconds). */
  public static final int DEFAULT_TIMEOUT_MILLIS = 10_000;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Engine.class);

  private final Environment environment;
  private final MailwardenConfig config;
  private final EngineListener listener;
  private final Deliverability deliverability;
  private final QuotaPolicy quota;
  private final List<Policy> policies;
  private final Session delegateSession;
  private final MxChecker mxChecker;
  private final ConnectionPool pool;

  private Engine(Session session, Environment environment, MailwardenConfig config) {
    this.environment = environment;
    this.config = config;
    this.listener = listener(config);
    this.deliverability = Deliverability.of(config, environment).observedBy(listener);
    this.mxChecker = config.checkMx() ? new MxChecker(config.dns()) : null;
    QuotaStore quotaStore = environment.stores().quotaStore(config);
    Admission admission = deliverability.admission(quotaStore, isLimited(config));
    this.quota = quota(config, environment, quotaStore, admission);
    this.policies = policies(config, environment, deliverability, admission, mxChecker, quota);
    if (config.reportOnly()) {
      log.warn("app={} runs in mode=report-only: messages that a policy would refuse are sent anyway and "
          + "only reported; header and address injection and dsn.* are still enforced. Set "
          + "mail.mailwarden.mode=enforce to refuse them", config.app());
    }
    this.delegateSession = delegateSession(session, environment, config);
    this.pool = new ConnectionPool(config.pool(), delegateFactory(delegateSession, config.delegateProtocol(),
        config.get(org.mailwarden.internal.config.Keys.POOL_PIPELINING)),
        environment::nanoTime, environment::reaper);
  }

  /**
   * Returns the engine of a session, parsing its configuration at the first call, in the session's
   * environment ({@link Environment#of(Session)}).
   *
   * @throws org.mailwarden.MailwardenConfigurationException when a key is unknown or malformed
   */
  public static Engine of(Session session) {
    Environment environment = Environment.of(session);
    return environment.engine(session,
        s -> new Engine(s, environment, MailwardenConfig.from(policyProperties(s.getProperties()))));
  }

  /** The session's properties without the environment object, which is not a policy key. */
  private static Properties policyProperties(Properties properties) {
    if (properties.get(Environment.KEY) == null) {
      return properties;
    }
    Properties copy = new Properties();
    copy.putAll(MailwardenConfig.flatten(properties));
    copy.remove(Environment.KEY);
    return copy;
  }

  /** Returns the environment the engine runs in: its clock, threads and stores. */
  public Environment environment() {
    return environment;
  }

  /**
   * Reports whether the engine's store answers now (a health check calls this): always reachable for
   * {@code store=local}; for a shared store one round trip bounded by {@code redis.timeout}.
   */
  public StoreStatus storeStatus() {
    return environment.stores().status(config);
  }

  public MailwardenConfig config() {
    return config;
  }

  public List<Policy> policies() {
    return policies;
  }

  /**
   * Returns the one listener of this engine: the application's listeners ({@code listener}) then
   * logging, each isolated from the others' failures.
   */
  public EngineListener listener() {
    return listener;
  }

  /** Returns whether the application registered listeners of its own (logging aside). */
  public boolean hasApplicationListeners() {
    return !config.listeners().isEmpty();
  }

  /**
   * Returns the suppression list, bounce correlation and reputation guard of the application, as this
   * engine observes them: what they learn from its sends goes to {@link #listener()}.
   */
  public Deliverability deliverability() {
    return deliverability;
  }

  /**
   * Returns the counters of recipient domain checks in DNS (lookups, cache hits, failures), or
   * empty when {@code recipients.check-mx} is off. For metrics.
   */
  public Optional<DnsStats> dnsStats() {
    return mxChecker == null ? Optional.empty() : Optional.of(mxChecker.stats());
  }

  /** Returns the quota policy, also when no limit is on (then it is not in the chain). */
  public QuotaPolicy quota() {
    return quota;
  }

  /** Returns the delegate connections of this session ({@code pool.*}; with pooling off, unpooled). */
  public ConnectionPool pool() {
    return pool;
  }

  // static, so the pool does not keep the engine reachable
  private static ConnectionPool.Factory delegateFactory(Session delegateSession, String protocol,
      boolean pipelining) {
    URLName url = new URLName(protocol, null, -1, null, null, null);
    boolean ssl = protocol.equals("smtps");
    return () -> new DsnSmtpTransport(delegateSession, url, protocol, ssl, pipelining);
  }

  /** Returns {@code host:port} of the server a connected delegate talks to, for logs and per-server state. */
  public String serverName(URLName connected) {
    int port = connected.getPort();
    if (port < 0) {
      String configured = delegateSession.getProperty("mail." + config.delegateProtocol() + ".port");
      try {
        port = configured == null ? -1 : Integer.parseInt(configured.trim());
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (port < 0) {
      port = config.delegateProtocol().equals("smtps") ? 465 : 25;
    }
    return connected.getHost() + ":" + port;
  }

  /** Returns the session the delegate runs in: the application's settings plus safe defaults. */
  public Session delegateSession() {
    return delegateSession;
  }

  private static EngineListener listener(MailwardenConfig config) {
    List<MailwardenListener> all = new ArrayList<>(config.listeners());
    all.add(new LoggingListener(config.app(), config.showAddresses())); // last: as the lines were logged after the calls
    return CompositeListener.of(all);
  }

  private static QuotaPolicy quota(MailwardenConfig config, Environment environment,
      QuotaStore store, Admission admission) {
    return new QuotaPolicy(config.app(), store,
        config.messageLimits(), config.recipientLimits(), config.domainLimits(), config.maxWait(),
        environment::nanoTime, environment.sleeper(), admission, config.onInvalid(), config.tenants(),
        config.reportOnly());
  }

  /**
   * Returns whether a limit is on. Then, when the suppression list and the quota live in one shared
   * store, the quota link looks the recipients up with its charge, so that one round trip decides the
   * send ({@link Admission}; the recipients are then looked up after the DNS and count checks
   * rather than before; what is refused stays the same).
   */
  private static boolean isLimited(MailwardenConfig config) {
    return !config.messageLimits().isEmpty() || !config.recipientLimits().isEmpty()
        || !config.domainLimits().isEmpty() || config.tenants().hasLimits();
  }

  private static List<Policy> policies(MailwardenConfig config, Environment environment,
      Deliverability deliverability, Admission admission, MxChecker mxChecker, QuotaPolicy quota) {
    List<Policy> chain = new ArrayList<>();
    if (config.store().isShared()) {
      chain.add(new StoreFailurePolicy(config.store().describe()));
    }
    if (config.suppression().reputation().enabled()) {
      chain.add(new ReputationPolicy(deliverability));
    }
    chain.add(new HeaderPolicy());
    chain.add(new SenderPolicy(config.senderDomains(), config.tenants()));
    chain.add(new RecipientPolicy(config.syntax(), config.allowDomains(), config.denyDomains(),
        config.onInvalid()));
    chain.add(new SuppressionPolicy(config.app(), deliverability, admission, config.onInvalid()));
    if (mxChecker != null) {
      chain.add(new MxPolicy(mxChecker, config.onInvalid(), environment::nanoTime));
    }
    chain.add(new RecipientCountPolicy(config.recipientsPerMessage()));
    if (quota.isActive()) {
      chain.add(quota);
    }
    // last: it needs the connection, which is borrowed only for a message every other policy let pass
    chain.add(new DsnPolicy(config.dsnNotify(), config.ret(), config.envid(), config.requireDsn(),
        environment::firstTime));
    if (config.reportOnly()) {
      // the header and DSN links refuse only what is never relaxed: they stay as they are
      chain.replaceAll(p -> p instanceof HeaderPolicy || p instanceof DsnPolicy ? p : new ReportOnlyPolicy(p));
    }
    return List.copyOf(chain);
  }

  private static Session delegateSession(Session session, Environment environment, MailwardenConfig config) {
    String p = "mail." + config.delegateProtocol() + ".";
    Properties props = new Properties();
    props.putAll(MailwardenConfig.flatten(session.getProperties()));
    props.putAll(config.delegateProperties());
    props.putIfAbsent(p + "connectiontimeout", Integer.toString(DEFAULT_TIMEOUT_MILLIS));
    props.putIfAbsent(p + "timeout", Integer.toString(DEFAULT_TIMEOUT_MILLIS));
    props.putIfAbsent(p + "writetimeout", Integer.toString(DEFAULT_TIMEOUT_MILLIS));
    if (!props.containsKey(p + "executor.writetimeout")) {
      props.put(p + "executor.writetimeout", environment.writeTimeouts());
    }
    props.putIfAbsent(p + "ssl.checkserveridentity", "true");
    // the engine cache holds its keys (the application's sessions) weakly: the authenticator holds
    // its session weakly too, as a strong path from the engine back to it would keep both for ever
    Session delegate = Session.getInstance(props, new ForwardingAuthenticator(session));
    delegate.setDebug(session.getDebug());
    delegate.setDebugOut(session.getDebugOut());
    return delegate;
  }
}
