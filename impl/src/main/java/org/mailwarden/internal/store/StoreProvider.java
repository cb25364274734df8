package org.mailwarden.internal.store;

import java.time.Clock;
import org.mailwarden.internal.config.StoreSettings;
import org.mailwarden.internal.quota.QuotaStore;
import org.mailwarden.internal.suppression.SuppressionStore;

/**
 * A shared store for quotas and suppression lists, found with {@link java.util.ServiceLoader} by the
 * name the {@code store} key gives ({@code redis} is in the artifact {@code mailwarden-redis}). The
 * core does not depend on any store's client library; a provider is on the class path or not.
 *
 * <p>Implementations are thread-safe and share one connection per target between every session of
 * the JVM. Every call they make is bounded by {@link StoreSettings#timeout()}. While the store does
 * not answer they either throw {@link StoreUnavailableException} ({@code store.on-failure=refuse})
 * or fall back to state held in the JVM ({@code local}), and they recover by themselves when it
 * answers again.
 */
public interface StoreProvider {
  /** Returns the name the {@code store} key selects this provider by, for example {@code redis}. */
  String name();

  /**
   * Returns the quota store for these settings, shared by every session with equal settings.
   *
   * @throws org.mailwarden.MailwardenConfigurationException when the settings cannot be used
   */
  QuotaStore quotaStore(StoreSettings settings);

  /**
   * Returns a suppression store of one application; closing it leaves the shared connection open.
   *
   * @throws org.mailwarden.MailwardenConfigurationException when the settings cannot be used
   */
  SuppressionStore suppressionStore(StoreSettings settings, String app, Clock clock);

  /** Asks the store whether it answers now, within the configured timeout; never throws. */
  StoreStatus status(StoreSettings settings);
}
