package org.mailwarden.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether the store of a configuration answers: what a health check reports.
 *
 * @param store the store, described without credentials ({@code local}, {@code redis at host:6379/0})
 * @param reachable whether it answered within the timeout (always true for {@code local})
 * @param latency how long the check took
 * @param detail what went wrong when it is not reachable, or {@code ok}
 */
public record StoreStatus(String store, boolean reachable, Duration latency, String detail) {
  public StoreStatus {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(detail, "detail");
  }
}
