package org.mailwarden.spi;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.internal.suppression.MemorySuppressionStore;
import org.mailwarden.suppression.Suppression;

/**
 * Where suppression entries are kept. Addresses given to a store are already normalized
 * ({@link org.mailwarden.suppression.SuppressionList#normalize(String)}); expired entries are never
 * returned. Implementations are thread-safe.
 *
 * <p>The contract, pinned down by {@code SuppressionStoreContract} in the test-jar of
 * {@code mailwarden-impl}: what is put is found and listed (oldest first) until it is removed or
 * expires on the store's clock; putting an address again replaces its entry; an entry already
 * expired is not kept; {@link #findAll} answers only the listed addresses; {@link #findAllOrCharge}
 * charges nothing when one address is listed; {@link #close} may be called more than once.
 */
public interface SuppressionStore extends AutoCloseable {
  /** A store that keeps nothing ({@code suppression.store=none}). */
  SuppressionStore NONE = new SuppressionStore() {
    @Override
    public Optional<Suppression> find(String address) {
      return Optional.empty();
    }

    @Override
    public void put(Suppression entry) {}

    @Override
    public boolean remove(String address) {
      return false;
    }

    @Override
    public List<Suppression> list() {
      return List.of();
    }

    @Override
    public void close() {}
  };

  /**
   * Returns a store held in this JVM, each entry expiring at its own {@code expiresAt} on the clock:
   * what {@code suppression.store=memory} uses, and what a shared store can fall back to while it
   * does not answer.
   */
  static SuppressionStore inMemory(Clock clock) {
    return new MemorySuppressionStore(clock);
  }

  /** Returns the entry of a normalized address, or empty when there is none or it has expired. */
  Optional<Suppression> find(String address);

  /** Returns the entries of several addresses, by address; addresses without one are left out. */
  default Map<String, Suppression> findAll(List<String> addresses) {
    Map<String, Suppression> found = Map.of(); // nearly always: every send looks its recipients up
    for (String address : addresses) {
      Optional<Suppression> entry = find(address);
      if (entry.isPresent()) {
        if (found.isEmpty()) {
          found = new LinkedHashMap<>();
        }
        found.put(address, entry.get());
      }
    }
    return found;
  }

  /**
   * Looks several addresses up and, only when none is listed, takes a send's quota charges (every
   * one or none, as {@link QuotaStore#chargeAll} does). A shared store that also holds the quota
   * buckets does both in one round trip; this default looks up, then charges.
   */
  default Verdict findAllOrCharge(List<String> addresses, QuotaStore quota, List<QuotaStore.Charge> charges) {
    Map<String, Suppression> found = findAll(addresses);
    return found.isEmpty() ? new Verdict(found, quota.chargeAll(charges)) : new Verdict(found, null);
  }

  /**
   * Returns whether {@link #findAllOrCharge} with this quota store looks up and charges together, in
   * one step (one round trip for a shared store that holds both). Then the send path looks the
   * recipients up with the charge; otherwise it looks them up first and charges later. This default
   * says no.
   */
  default boolean chargesWith(QuotaStore quota) {
    return false;
  }

  /**
   * The answer of {@link #findAllOrCharge}: the entries found (then nothing was charged), or, when
   * none was, the quota's shortfall (null: every charge was taken).
   *
   * @param found the entries by normalized address, empty when none is listed
   * @param shortfall the first charge that did not fit, or null
   */
  record Verdict(Map<String, Suppression> found, QuotaStore.Shortfall shortfall) {}

  /** Adds or replaces the entry of {@code entry.address()}. */
  void put(Suppression entry);

  /** Removes an entry; returns whether there was one that had not expired. */
  boolean remove(String address);

  /** Returns the entries that have not expired, oldest first. */
  List<Suppression> list();

  /**
   * Returns about how many entries the store holds, for a gauge read on every metrics scrape: a store
   * that can count without listing (a map's size, a counter kept beside the entries) overrides this
   * default, which lists. Entries that expired may be counted until the store drops them.
   */
  default long size() {
    return list().size();
  }

  /** Releases files and locks; the store must not be used afterwards. */
  @Override
  void close();
}
