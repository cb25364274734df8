package org.mailwarden.internal.suppression;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.internal.quota.QuotaStore;
import org.mailwarden.suppression.Suppression;

/**
 * Where suppression entries are kept. Addresses given to a store are already normalized
 * ({@link org.mailwarden.suppression.SuppressionList#normalize(String)}); expired entries are never
 * returned. Implementations are thread-safe.
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
   * The answer of {@link #findAllOrCharge}: the entries found (then nothing was charged), or, when
   * none was, the quota's shortfall (null: every charge was taken).
   */
  record Verdict(Map<String, Suppression> found, QuotaStore.Shortfall shortfall) {}

  /** Adds or replaces the entry of {@code entry.address()}. */
  void put(Suppression entry);

  /** Removes an entry; returns whether there was one that had not expired. */
  boolean remove(String address);

  /** Returns the entries that have not expired, oldest first. */
  List<Suppression> list();

  /** Releases files and locks; the store must not be used afterwards. */
  @Override
  void close();
}
