package org.mailwarden.internal.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.internal.config.MailwardenConfig;
import org.mailwarden.internal.config.StoreSettings;
import org.mailwarden.internal.quota.LocalQuotaStore;
import org.mailwarden.internal.quota.QuotaStore;
import org.mailwarden.internal.suppression.SuppressionStore;

/**
 * Opens the stores a configuration names: the JVM's own for {@code store=local}, a
 * {@link StoreProvider} found by name for the others.
 */
public final class Stores {
  /** The artifact that provides each known store, for the error when it is missing. */
  private static final Map<String, String> ARTIFACTS = Map.of("redis", "org.mailwarden:mailwarden-redis");
  private static final Map<String, StoreProvider> PROVIDERS = new ConcurrentHashMap<>();

  private Stores() {}

  /** Returns the quota store of a configuration. */
  public static QuotaStore quotaStore(MailwardenConfig config) {
    StoreSettings s = config.store();
    return s.isShared() ? provider(s).quotaStore(s) : LocalQuotaStore.instance();
  }

  /** Returns a suppression store of the configuration's application on its shared store. */
  public static SuppressionStore sharedSuppressionStore(MailwardenConfig config, Clock clock) {
    StoreSettings s = config.store();
    if (!s.isShared()) {
      throw new IllegalStateException("store=local has no shared suppression store");
    }
    return provider(s).suppressionStore(s, config.app(), clock);
  }

  /**
   * Reports whether the store of a configuration answers now (a health check calls this): always
   * reachable for {@code store=local}; for a shared store one round trip bounded by
   * {@code redis.timeout}. Never throws for an unreachable store.
   *
   * @throws MailwardenConfigurationException when the store's artifact is missing
   */
  public static StoreStatus status(MailwardenConfig config) {
    StoreSettings s = config.store();
    return s.isShared() ? provider(s).status(s) : new StoreStatus("local", true, Duration.ZERO, "ok");
  }

  static StoreProvider provider(StoreSettings settings) {
    String name = settings.name();
    StoreProvider found = PROVIDERS.get(name);
    if (found != null) {
      return found;
    }
    for (StoreProvider p : ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader())) {
      PROVIDERS.putIfAbsent(p.name(), p);
    }
    found = PROVIDERS.get(name);
    if (found == null) {
      throw new MailwardenConfigurationException(org.mailwarden.Mailwarden.PREFIX + "store", name,
          "store=" + name + " needs the artifact " + ARTIFACTS.getOrDefault(name, "that provides it")
              + " on the class path (no " + StoreProvider.class.getName() + " named '" + name
              + "' was found)");
    }
    return found;
  }
}
