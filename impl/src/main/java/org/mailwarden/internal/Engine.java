package org.mailwarden.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
import org.mailwarden.internal.policy.SuppressionPolicy;
import org.mailwarden.internal.policy.SenderPolicy;
import org.mailwarden.internal.pool.ConnectionPool;
import org.mailwarden.internal.policy.StoreFailurePolicy;
import org.mailwarden.internal.store.Stores;
import org.mailwarden.internal.smtp.DsnSmtpTransport;
import org.mailwarden.internal.suppression.Deliverability;

/**
 * Everything Mailwarden builds once per session: the parsed configuration, the policy chain and the
 * session the delegate transport runs in. Engines are cached per {@link Session} (weakly, so a
 * discarded session takes its engine with it); every transport of a session shares one.
 */
public final class Engine {
  /** Connect, read and write timeout applied when the application set none (milliseconds). */
  public static final int DEFAULT_TIMEOUT_MILLIS = 10_000;

  /**
   * Every send looks its session's engine up ({@code Transport.send} makes a new transport each
   * time): maintenance runs on the calling thread, as Caffeine's default hands it to the common
   * ForkJoinPool every few reads, a thread wake-up each time (about 3 us per send, measured).
   */
  private static final Cache<Session, Engine> ENGINES =
      Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
  private static final ScheduledExecutorService WRITE_TIMEOUTS = writeTimeoutExecutor();

  private final MailwardenConfig config;
  private final EngineListener listener;
  private final Deliverability deliverability;
  private final QuotaPolicy quota;
  private final List<Policy> policies;
  private final Session delegateSession;
  private final MxChecker mxChecker;
  private final ConnectionPool pool;

  private Engine(Session session, MailwardenConfig config) {
    this.config = config;
    this.listener = listener(config);
    this.deliverability = Deliverability.of(config).observedBy(listener);
    this.mxChecker = config.checkMx() ? new MxChecker(config.dns()) : null;
    this.quota = quota(config, lookUpWithCharge(config) ? deliverability : null);
    this.policies = policies(config, deliverability, mxChecker, quota);
    this.delegateSession = delegateSession(session, config);
    this.pool = new ConnectionPool(config.pool(), delegateFactory(delegateSession, config.delegateProtocol()),
        System::nanoTime);
  }

  /**
   * Returns the engine of a session, parsing its configuration at the first call.
   *
   * @throws org.mailwarden.MailwardenConfigurationException when a key is unknown or malformed
   */
  public static Engine of(Session session) {
    Engine engine = ENGINES.getIfPresent(session);
    if (engine == null) {
      // parse outside the cache's lock, so a bad configuration throws to the caller as it is
      engine = new Engine(session, MailwardenConfig.from(session.getProperties()));
      Engine raced = ENGINES.asMap().putIfAbsent(session, engine);
      if (raced != null) {
        engine = raced;
      }
    }
    return engine;
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
  private static ConnectionPool.Factory delegateFactory(Session delegateSession, String protocol) {
    URLName url = new URLName(protocol, null, -1, null, null, null);
    boolean ssl = protocol.equals("smtps");
    return () -> new DsnSmtpTransport(delegateSession, url, protocol, ssl);
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

  private static QuotaPolicy quota(MailwardenConfig config, Deliverability suppressions) {
    return new QuotaPolicy(config.app(), Stores.quotaStore(config),
        config.messageLimits(), config.recipientLimits(), config.domainLimits(), config.maxWait(),
        System::nanoTime, nanos -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos),
        suppressions, config.onInvalid());
  }

  /**
   * Returns whether the quota policy looks the recipients up on the suppression list, with its
   * charge, instead of the suppression policy: when both live in the shared store and a limit is on,
   * so that one round trip decides the send. (The recipients are then looked up after the DNS, count
   * and DSN checks rather than before; what is refused stays the same.)
   */
  private static boolean lookUpWithCharge(MailwardenConfig config) {
    return config.store().isShared()
        && config.suppression().store() == org.mailwarden.internal.config.SuppressionSettings.Store.SHARED
        && (!config.messageLimits().isEmpty() || !config.recipientLimits().isEmpty()
            || !config.domainLimits().isEmpty());
  }

  private static List<Policy> policies(MailwardenConfig config, Deliverability deliverability,
      MxChecker mxChecker, QuotaPolicy quota) {
    List<Policy> chain = new ArrayList<>();
    if (config.store().isShared()) {
      chain.add(new StoreFailurePolicy(config.store().describe()));
    }
    if (config.suppression().reputation().enabled()) {
      chain.add(new ReputationPolicy(deliverability));
    }
    chain.add(new HeaderPolicy());
    chain.add(new SenderPolicy(config.senderDomains()));
    chain.add(new RecipientPolicy(config.syntax(), config.allowDomains(), config.denyDomains(),
        config.onInvalid()));
    chain.add(new SuppressionPolicy(config.app(), deliverability, config.onInvalid(),
        !lookUpWithCharge(config)));
    if (mxChecker != null) {
      chain.add(new MxPolicy(mxChecker, config.onInvalid()));
    }
    chain.add(new RecipientCountPolicy(config.recipientsPerMessage()));
    chain.add(new DsnPolicy(config.dsnNotify(), config.ret(), config.envid(), config.requireDsn()));
    if (quota.isActive()) {
      chain.add(quota);
    }
    return List.copyOf(chain);
  }

  private static Session delegateSession(Session session, MailwardenConfig config) {
    String p = "mail." + config.delegateProtocol() + ".";
    Properties props = new Properties();
    props.putAll(MailwardenConfig.flatten(session.getProperties()));
    props.putAll(config.delegateProperties());
    props.putIfAbsent(p + "connectiontimeout", Integer.toString(DEFAULT_TIMEOUT_MILLIS));
    props.putIfAbsent(p + "timeout", Integer.toString(DEFAULT_TIMEOUT_MILLIS));
    props.putIfAbsent(p + "writetimeout", Integer.toString(DEFAULT_TIMEOUT_MILLIS));
    props.putIfAbsent(p + "executor.writetimeout", WRITE_TIMEOUTS);
    props.putIfAbsent(p + "ssl.checkserveridentity", "true");
    // the engine cache holds its keys (the application's sessions) weakly: the authenticator holds
    // its session weakly too, as a strong path from the engine back to it would keep both for ever
    Session delegate = Session.getInstance(props, new ForwardingAuthenticator(session));
    delegate.setDebug(session.getDebug());
    delegate.setDebugOut(session.getDebugOut());
    return delegate;
  }

  private static ScheduledExecutorService writeTimeoutExecutor() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName("mailwarden-write-timeout");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    // Angus schedules a timeout task per socket write and cancels it after. A task that becomes the
    // head of the queue wakes the executor's thread, so with an empty queue every write cost a thread
    // wake-up (most of the CPU of a pooled send, measured: BENCHMARKS.md). A no-op every second keeps
    // an earlier deadline at the head: write timeouts longer than a second no longer wake anything.
    executor.scheduleAtFixedRate(() -> { }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    return executor;
  }
}
