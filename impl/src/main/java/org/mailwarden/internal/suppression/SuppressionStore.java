package org.mailwarden.internal.suppression;

import java.util.List;
import java.util.Optional;
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
