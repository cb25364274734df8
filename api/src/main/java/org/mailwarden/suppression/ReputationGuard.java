package org.mailwarden.suppression;

/**
 * The reputation guard of one application: it watches the hard-bounce and complaint rates of recent
 * sends and pauses sending when they exceed the configured thresholds ({@code reputation.*}).
 * Obtain it with {@link org.mailwarden.Mailwarden#reputation(jakarta.mail.Session)}. Thread-safe.
 */
public interface ReputationGuard {
  /** Returns the current figures and verdict. */
  Reputation status();

  /**
   * Resumes sending after a pause, as an operator decides after fixing the cause. The window starts
   * afresh (its sends, bounces and complaints are forgotten), so the guard judges again only after
   * {@code reputation.min-sends} new sends. Does nothing when sending is not paused.
   */
  void resume();

  /**
   * Returns the tenants the guard has paused ({@code paused} refuses their messages while the
   * application and the other tenants keep sending); empty when none is, or there are no tenants.
   */
  default java.util.Set<String> pausedTenants() {
    return java.util.Set.of();
  }

  /** Returns the figures and verdict of one tenant (zero figures for a tenant not seen recently). */
  default Reputation status(String tenant) {
    return status();
  }

  /** Resumes one tenant's sending after a pause, as {@link #resume()} does for the application. */
  default void resume(String tenant) {}
}
