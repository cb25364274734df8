package org.mailwarden;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether the store that holds an application's quotas and suppression list answers: always
 * reachable for the local store ({@code store=local}); for a shared store ({@code store=redis}) the
 * result of one bounded check.
 *
 * @param store the store, described without credentials, for example {@code redis at host:6379/0}
 * @param shared whether the store is shared between instances ({@code store=redis})
 * @param reachable whether it answered within its timeout
 * @param fallsBackToLocal whether sends fall back to the local limits while it does not answer
 *     ({@code store.on-failure=local}); when false they are refused with {@code store-unavailable}
 * @param latency how long the check took
 * @param detail {@code ok}, or what went wrong
 */
public record StoreHealth(String store, boolean shared, boolean reachable, boolean fallsBackToLocal,
    Duration latency, String detail) {
  /** Checks that no component is null. */
  public StoreHealth {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(detail, "detail");
  }
}
