package org.mailwarden.internal.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The parsed {@code suppression.*} and {@code reputation.*} keys of one session. Two sessions of one
 * application must agree on them, since they share the list and the guard.
 *
 * @param store where the list lives
 * @param file the journal file of the {@code file} store (absolute), or null for other stores
 * @param softThreshold soft failures within {@code softWindow} that suppress an address; 0 = never
 * @param softWindow the window soft failures are counted in
 * @param ttl how long an entry lasts; {@link Duration#ZERO} = forever
 * @param correlationWindow how long a send is remembered for tying a bounce back to it; 0 = off
 * @param correlationSize at most this many sends are remembered
 * @param reputation the reputation guard's settings
 */
public record SuppressionSettings(Store store, Path file, int softThreshold, Duration softWindow,
    Duration ttl, Duration correlationWindow, long correlationSize, ReputationSettings reputation) {

  /**
   * Where the suppression list lives ({@code suppression.store}); {@code SHARED} is the store named
   * by the {@code store} key (Redis), the default when that key names a shared store.
   */
  public enum Store { FILE, MEMORY, NONE, SHARED }

  /** How a paused application resumes ({@code reputation.resume}). */
  public enum Resume { MANUAL, AUTO }

  /**
   * The reputation guard's settings; rates are fractions (0.05 = 5%).
   *
   * @param enabled whether the guard runs at all
   * @param window the sliding time window of sends, bounces and complaints
   * @param minSends the guard judges only with at least this many sends in the window
   * @param bounceWarning hard-bounce rate that warns
   * @param bouncePause hard-bounce rate that pauses
   * @param complaintWarning complaint rate that warns
   * @param complaintPause complaint rate that pauses
   * @param resume how sending resumes after a pause
   */
  public record ReputationSettings(boolean enabled, Duration window, long minSends,
      double bounceWarning, double bouncePause, double complaintWarning, double complaintPause,
      Resume resume) {}
}
