package org.mailwarden.spi;

/**
 * A shared store for quotas and suppression lists, found with {@link java.util.ServiceLoader} by the
 * name the {@code store} key gives ({@code redis} is in the artifact {@code mailwarden-redis}). The
 * core does not depend on any store's client library; a provider is on the class path or not.
 *
 * <p>Each Mailwarden environment loads its own instance of every provider (the service needs a public
 * no-argument constructor) and closes it when the environment is closed, so a provider keeps its
 * connections in instance fields, never in static ones. Within one instance, stores of equal settings
 * share one connection per target.
 *
 * <p>Implementations are thread-safe. Every call they make is bounded by {@link StoreSettings#timeout()}.
 * While the store does not answer they either throw {@link StoreUnavailableException}
 * ({@code store.on-failure=refuse}) or fall back to state held in the JVM ({@code local}), and they
 * recover by themselves when it answers again.
 */
public interface StoreProvider extends AutoCloseable {
  /** Returns the name the {@code store} key selects this provider by, for example {@code redis}. */
  String name();

  /**
   * Returns the quota store for these settings; calls with equal settings return stores that share
   * their buckets.
   *
   * @throws org.mailwarden.MailwardenConfigurationException when the settings cannot be used
   */
  QuotaStore quotaStore(StoreSettings settings, StoreContext context);

  /**
   * Returns a suppression store of one application; closing it leaves the shared connection open.
   * When the quota store of equal settings holds its buckets in the same place, its
   * {@link SuppressionStore#findAllOrCharge} looks up and charges in one round trip.
   *
   * @throws org.mailwarden.MailwardenConfigurationException when the settings cannot be used
   */
  SuppressionStore suppressionStore(StoreSettings settings, String app, StoreContext context);

  /** Asks the store whether it answers now, within the configured timeout; never throws. */
  StoreStatus status(StoreSettings settings, StoreContext context);

  /**
   * Releases the connections and threads this provider opened (not those of client objects the
   * application handed over). The stores it returned must not be used afterwards. This default
   * does nothing.
   */
  @Override
  default void close() {}
}
