package org.mailwarden.internal.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.internal.config.MailwardenConfig;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.StoreContext;
import org.mailwarden.spi.StoreProvider;
import org.mailwarden.spi.StoreSettings;
import org.mailwarden.spi.StoreStatus;
import org.mailwarden.spi.SuppressionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the stores a configuration names: the environment's own for {@code store=local}, a
 * {@link StoreProvider} found by name for the others. One instance per environment, which loads its
 * own provider instances (at the first shared store asked for) and closes them with it.
 */
public final class Stores implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Stores.class);
  /** The artifact that provides each known store, for the error when it is missing. */
  private static final Map<String, String> ARTIFACTS = Map.of("redis", "org.mailwarden:mailwarden-redis");

  private final StoreContext context;
  private final QuotaStore local;
  private List<StoreProvider> providers;
  private boolean closed;

  /**
   * @param context the time of every store opened here
   * @param local the quota store of {@code store=local}
   */
  public Stores(StoreContext context, QuotaStore local) {
    this.context = context;
    this.local = local;
  }

  /** Returns the quota store of a configuration. */
  public QuotaStore quotaStore(MailwardenConfig config) {
    StoreSettings s = config.store();
    return s.isShared() ? provider(s).quotaStore(s, context) : local;
  }

  /** Returns a suppression store of the configuration's application on its shared store. */
  public SuppressionStore sharedSuppressionStore(MailwardenConfig config) {
    StoreSettings s = config.store();
    if (!s.isShared()) {
      throw new IllegalStateException("store=local has no shared suppression store");
    }
    return provider(s).suppressionStore(s, config.app(), context);
  }

  /**
   * Reports whether the store of a configuration answers now (a health check calls this): always
   * reachable for {@code store=local}; for a shared store one round trip bounded by
   * {@code redis.timeout}. Never throws for an unreachable store.
   *
   * @throws MailwardenConfigurationException when the store's artifact is missing
   */
  public StoreStatus status(MailwardenConfig config) {
    StoreSettings s = config.store();
    return s.isShared() ? provider(s).status(s, context) : new StoreStatus("local", true, Duration.ZERO, "ok");
  }

  StoreProvider provider(StoreSettings settings) {
    String name = settings.name();
    for (StoreProvider p : providers()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new MailwardenConfigurationException(Mailwarden.PREFIX + "store", name,
        "store=" + name + " needs the artifact " + ARTIFACTS.getOrDefault(name, "that provides it")
            + " on the class path (no " + StoreProvider.class.getName() + " named '" + name
            + "' was found)");
  }

  private synchronized List<StoreProvider> providers() {
    if (closed) {
      throw new IllegalStateException("the stores of this environment are closed");
    }
    if (providers == null) {
      List<StoreProvider> found = new ArrayList<>();
      ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader()).forEach(found::add);
      providers = List.copyOf(found);
    }
    return providers;
  }

  /** Closes the providers loaded here (their connections and threads). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (providers != null) {
      for (StoreProvider p : providers) {
        try {
          p.close();
        } catch (RuntimeException e) {
          log.warn("Closing the store provider {} failed", p.name(), e);
        }
      }
    }
  }
}
