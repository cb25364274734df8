package org.mailwarden.suppression;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One address on the suppression list.
 *
 * @param address the address in its normalized form (see {@link SuppressionList})
 * @param reason why it is suppressed, for people and reports (for example
 *     {@code "userunknown: 550 5.1.1 no such user"})
 * @param source where the information came from: {@code smtp} (refused on RCPT), {@code bounce},
 *     {@code complaint}, {@code soft-threshold}, {@code manual}, or what the application passed
 * @param since when the address was suppressed
 * @param expiresAt when the entry lapses, or null for never
 */
public record Suppression(String address, String reason, String source, Instant since,
    @Nullable Instant expiresAt) {
  /** Checks the required components. */
  public Suppression {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(since, "since");
  }

  /** Returns when the entry lapses; empty when it never does. */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /** Returns whether the entry has lapsed at the given instant. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
