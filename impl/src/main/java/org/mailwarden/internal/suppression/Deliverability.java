package org.mailwarden.internal.suppression;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.internal.config.MailwardenConfig;
import org.mailwarden.internal.Environment;
import org.mailwarden.internal.config.SuppressionSettings;
import org.mailwarden.internal.event.CompositeListener;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.SuppressionStore;
import org.mailwarden.internal.util.Masking;
import org.mailwarden.suppression.Reputation;
import org.mailwarden.suppression.ReputationGuard;
import org.mailwarden.suppression.Suppression;
import org.mailwarden.suppression.SuppressionList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one application learns from failures: its suppression list, the soft-failure counts,
 * the recent sends a bounce can be tied back to, and the reputation guard. One instance per
 * application name in an environment ({@link Environment#applications()}), shared by all its
 * sessions, which must therefore agree on the {@code suppression.*} and {@code reputation.*} keys.
 * Each engine observes it through {@link #observedBy(MailwardenListener)}: what that engine's sends
 * teach it is reported to that engine's listener.
 */
public final class Deliverability {
  private static final Logger log = LoggerFactory.getLogger(Deliverability.class);

  private final String app;
  private final SuppressionSettings settings;
  private final Clock clock;
  private final Ticker ticker;
  private final SuppressionStore store;
  private final SoftFailures soft;
  private final Correlation correlation;
  private final ReputationMonitor reputation;
  /** The reputation of each tenant seen within the window: bounded, idle tenants are forgotten. */
  private final com.github.benmanes.caffeine.cache.Cache<String, ReputationMonitor> tenants;
  /**
   * Whether any tenant had a bounce or complaint counted (shared by the views; only ever set to
   * true): until then no tenant can be paused, and a send need not look its tenant's monitor up.
   */
  private final java.util.concurrent.atomic.AtomicBoolean tenantsJudged;
  private final boolean showAddresses;
  /** Where this view's events go: one engine's composite listener, or none for the shared instance. */
  private final MailwardenListener listener;

  Deliverability(String app, SuppressionSettings settings, Clock clock, Ticker ticker,
      SuppressionStore store, boolean showAddresses) {
    this.app = app;
    this.settings = settings;
    this.clock = clock;
    this.ticker = ticker;
    this.store = store;
    this.soft = new SoftFailures(settings.softThreshold(), settings.softWindow(), ticker);
    this.correlation = new Correlation(settings.correlationWindow(), settings.correlationSize(), ticker);
    this.reputation = new ReputationMonitor(app, settings.reputation(), ticker);
    // bounded by size only, so a look-up reads no clock; a tenant's monitor forgets its old sends itself
    this.tenants = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000)
        .executor(Runnable::run).build();
    this.tenantsJudged = new java.util.concurrent.atomic.AtomicBoolean();
    this.showAddresses = showAddresses;
    this.listener = MailwardenListener.NONE;
  }

  /** A view of the same application's state whose events go to {@code listener}. */
  private Deliverability(Deliverability shared, MailwardenListener listener) {
    this.app = shared.app;
    this.settings = shared.settings;
    this.clock = shared.clock;
    this.ticker = shared.ticker;
    this.store = shared.store;
    this.soft = shared.soft;
    this.correlation = shared.correlation;
    this.reputation = shared.reputation;
    this.tenants = shared.tenants;
    this.tenantsJudged = shared.tenantsJudged;
    this.showAddresses = shared.showAddresses;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Returns this application's state (the same list, counts and guard) as one engine observes it:
   * reputation changes and bounces that its sends, its list and its guard cause go to
   * {@code listener}, which is called as it is (it should isolate failing members itself, as
   * {@link org.mailwarden.internal.event.CompositeListener} does).
   */
  public Deliverability observedBy(MailwardenListener listener) {
    return new Deliverability(this, listener);
  }

  /**
   * Returns the instance of a configuration's application in an environment, creating it (and
   * opening its store) at the first call; it runs on the environment's clock and ticker.
   *
   * @throws MailwardenConfigurationException when the application already runs with other settings
   */
  public static Deliverability of(MailwardenConfig config, Environment environment) {
    String app = config.app();
    SuppressionSettings settings = config.suppression();
    Deliverability d = environment.applications().computeIfAbsent(app, a -> new Deliverability(a,
        settings, environment.clock(), environment.ticker(), openStore(config, environment),
        config.showAddresses()));
    if (!d.settings.equals(settings)) {
      throw new MailwardenConfigurationException(org.mailwarden.Mailwarden.PREFIX + "app", app,
          "application '" + app + "' already runs in this JVM with other suppression.* or "
              + "reputation.* settings (" + d.settings + ", now " + settings + "); the sessions of one "
              + "application share its suppression list and reputation guard, so they must agree");
    }
    return d;
  }

  /**
   * Forgets an application of an environment and closes its store, as a JVM exit would; the next
   * {@link #of} opens it again (from its file, for the file store). For tests that simulate a restart.
   */
  public static void release(Environment environment, String app) {
    Deliverability d = environment.applications().remove(app);
    if (d != null) {
      d.close();
    }
  }

  /** Closes the application's store (its file and lock, for the file store). */
  public void close() {
    store.close();
  }

  private static SuppressionStore openStore(MailwardenConfig config, Environment environment) {
    SuppressionSettings settings = config.suppression();
    return switch (settings.store()) {
      case FILE -> FileSuppressionStore.open(settings.file(), environment.clock(), environment.files());
      case MEMORY -> SuppressionStore.inMemory(environment.clock());
      case NONE -> SuppressionStore.NONE;
      case SHARED -> environment.stores().sharedSuppressionStore(config);
    };
  }

  public String app() {
    return app;
  }

  /** Returns the public list: its {@code record} notifies this view's listener too. */
  public SuppressionList list() {
    return new ListView();
  }

  /** Returns the public guard; state changes go to this view's listener. */
  public ReputationGuard guard() {
    return new GuardView();
  }

  /**
   * Returns the one place the suppression and quota links of a send ask the stores: see
   * {@link Admission}.
   *
   * @param quota the application's quota store
   * @param quotaActive whether a limit is on (then the quota link charges every send)
   */
  public Admission admission(QuotaStore quota, boolean quotaActive) {
    return new Admission(store, quota, quotaActive && store.chargesWith(quota));
  }

  /** Returns whether the reputation guard refuses sends now. */
  public boolean isPaused() {
    return reputation.isPaused(notifier());
  }

  /** Returns whether the reputation guard refuses a tenant's sends now. */
  public boolean isPaused(String tenant) {
    if (!tenantsJudged.get()) {
      return false; // no tenant has had a bounce or complaint: none can be paused (the usual case)
    }
    ReputationMonitor monitor = tenants.getIfPresent(tenant);
    return monitor != null && monitor.isPaused(notifier());
  }

  /** Returns the current figures of a tenant (zero for a tenant not seen within the window). */
  public Reputation reputation(String tenant) {
    ReputationMonitor monitor = tenants.getIfPresent(tenant);
    return monitor != null ? monitor.status(notifier())
        : new Reputation(app, Reputation.State.OK, 0, 0, 0, tenant);
  }

  private ReputationMonitor tenant(String tenant) {
    return tenants.get(tenant, t -> new ReputationMonitor(app, t, settings.reputation(), ticker));
  }

  /** Returns the current reputation figures. */
  public Reputation reputation() {
    return reputation.status(notifier());
  }

  /** Observes a successful delivery: counts it for the guard and remembers it for correlation. */
  public void delivered(SendReport report) {
    long now = ticker.read(); // one clock read for both: each costs 30 ns here
    reputation.sent(report.accepted().size() + report.refusedByServer().size(), now, notifier());
    if (report.tenant().isPresent() && settings.reputation().enabled()) {
      tenant(report.tenant().get()).sent(report.accepted().size() + report.refusedByServer().size(), now,
          notifier());
    }
    correlation.remember(report, listener, now);
  }

  /**
   * Observes a delivery the server refused in whole or part: every recipient refused on RCPT with a
   * 5xx {@code 5.1.x} reply is suppressed at once (source {@code smtp}); other refusals count as soft.
   */
  public void refused(SendFailedException failure) {
    refused(failure, null);
  }

  /**
   * As {@link #refused(SendFailedException)}, for a message of a tenant (null: none), whose
   * reputation counts it too.
   */
  public void refused(SendFailedException failure, String tenantName) {
    Consumer<Reputation> notify = notifier();
    ReputationMonitor ofTenant = tenantName == null ? null : tenant(tenantName);
    long handed = length(failure.getValidSentAddresses()) + length(failure.getInvalidAddresses());
    reputation.sent(handed, notify);
    if (ofTenant != null) {
      ofTenant.sent(handed, notify);
    }
    Set<Exception> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Exception e = failure; e != null && seen.add(e); e = next(e)) {
      if (e instanceof SMTPAddressFailedException refused) {
        InternetAddress address = refused.getAddress();
        if (address == null || address.getAddress() == null) {
          continue;
        }
        String response = refused.getMessage();
        switch (SuppressionRules.ofReply(refused.getReturnCode(), response)) {
          case SUPPRESS -> {
            add(address.getAddress(), SuppressionRules.describeReply(response), "smtp");
            reputation.bounced(notify);
            if (ofTenant != null) {
              tenantsJudged.set(true);
              ofTenant.bounced(notify);
            }
          }
          case SOFT -> countSoft(address.getAddress(), SuppressionRules.describeReply(response));
          case IGNORE -> { }
        }
      }
    }
  }

  /**
   * Applies the rules to one bounced recipient and notifies the listeners of the send it belongs to
   * and of this view (each listener once); see {@link SuppressionList#record}.
   */
  void record(BouncedRecipient bounce) {
    Objects.requireNonNull(bounce, "bounce");
    Consumer<Reputation> notify = notifier();
    Optional<Correlation.Sent> correlated = correlation.find(bounce);
    // a bounce tied to a send may only name an address that send had (null: none of them)
    String address = correlated.isPresent() ? correlated.get().recipientFor(bounce.recipient()) : bounce.recipient();
    ReputationMonitor ofTenant = correlated.flatMap(sent -> sent.report().tenant()).map(this::tenant).orElse(null);
    switch (SuppressionRules.of(bounce)) {
      case SUPPRESS -> {
        if (address != null) {
          add(address, SuppressionRules.describe(bounce), SuppressionRules.source(bounce));
        }
        if (bounce.reason() == org.mailwarden.bounce.BounceReason.FEEDBACK) {
          reputation.complained(notify);
          if (ofTenant != null) {
            tenantsJudged.set(true);
            ofTenant.complained(notify);
          }
        } else {
          reputation.bounced(notify);
          if (ofTenant != null) {
            tenantsJudged.set(true);
            ofTenant.bounced(notify);
          }
        }
      }
      case SOFT -> {
        if (address != null) {
          countSoft(address, SuppressionRules.describe(bounce));
        }
      }
      case IGNORE -> { }
    }
    correlated.ifPresent(sent -> CompositeListener.union(sent.listener(), listener)
        .bounced(sent.report(), bounce));
  }

  private void add(String address, String reason, String source) {
    String normalized;
    try {
      normalized = SuppressionList.normalize(address);
    } catch (IllegalArgumentException notAnAddress) {
      log.warn("app={} cannot suppress a malformed address: {}", app,
          Masking.text(notAnAddress.getMessage(), showAddresses));
      return;
    }
    suppress(normalized, reason, source);
  }

  private void suppress(String normalized, String reason, String source) {
    Instant now = clock.instant();
    Instant expires = settings.ttl().isZero() ? null : now.plus(settings.ttl());
    soft.forget(normalized);
    store.put(new Suppression(normalized, reason, source, now, expires));
    log.info("app={} suppressed {} (source {}: {})", app, Masking.address(normalized, showAddresses),
        source, Masking.text(reason, showAddresses));
  }

  private void countSoft(String address, String reason) {
    String normalized;
    try {
      normalized = SuppressionList.normalize(address);
    } catch (IllegalArgumentException notAnAddress) {
      return;
    }
    int failures = soft.count(normalized);
    if (failures > 0) {
      suppress(normalized, failures + " soft failures within " + human(settings.softWindow())
          + ", the last: " + reason, "soft-threshold");
    }
  }

  private Consumer<Reputation> notifier() {
    return listener::reputationChanged;
  }

  /** Formats a duration as the configuration writes it: {@code 7d}, {@code 12h}, {@code 90s}. */
  static String human(java.time.Duration d) {
    long s = d.toSeconds();
    if (s > 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s > 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s > 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
  }

  private static Exception next(Exception e) {
    return e instanceof MessagingException m ? m.getNextException() : null;
  }

  private static long length(Address[] a) {
    return a == null ? 0 : a.length;
  }

  private final class ListView implements SuppressionList {
    @Override
    public Optional<Suppression> find(String address) {
      return store.find(SuppressionList.normalize(address));
    }

    @Override
    public void suppress(String address, String reason, String source) {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(source, "source");
      Deliverability.this.suppress(SuppressionList.normalize(address), reason, source);
    }

    @Override
    public boolean remove(String address) {
      String normalized = SuppressionList.normalize(address);
      soft.forget(normalized);
      return store.remove(normalized);
    }

    @Override
    public List<Suppression> list() {
      return store.list();
    }

    @Override
    public long size() {
      return store.size();
    }

    @Override
    public void record(BouncedRecipient bounce) {
      Deliverability.this.record(bounce);
    }

    @Override
    public String toString() {
      return "SuppressionList{app=" + app + ", store=" + settings.store().name().toLowerCase(java.util.Locale.ROOT)
          + (settings.file() == null ? "" : ", file=" + settings.file()) + '}';
    }
  }

  private final class GuardView implements ReputationGuard {
    @Override
    public Reputation status() {
      return reputation.status(notifier());
    }

    @Override
    public void resume() {
      reputation.resume(notifier());
    }

    @Override
    public Set<String> pausedTenants() {
      java.util.TreeSet<String> paused = new java.util.TreeSet<>();
      tenants.asMap().forEach((t, monitor) -> {
        if (monitor.status(notifier()).state() == Reputation.State.PAUSED) {
          paused.add(t);
        }
      });
      return Collections.unmodifiableSet(paused);
    }

    @Override
    public Reputation status(String tenant) {
      return reputation(tenant);
    }

    @Override
    public void resume(String tenant) {
      ReputationMonitor monitor = tenants.getIfPresent(tenant);
      if (monitor != null) {
        monitor.resume(notifier());
      }
    }
  }
}
