package org.mailwarden.suppression;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The sending reputation of one application over the guard's window ({@code reputation.window}):
 * how many recipients were handed to the server, and how many of them hard-bounced or complained.
 *
 * @param app the application name
 * @param state whether sending is healthy, warned about or paused
 * @param sends recipients handed to the server within the window
 * @param bounces hard bounces recorded within the window (synchronous {@code 5.1.x} refusals included)
 * @param complaints complaints recorded within the window
 * @param tenant the tenant these figures are of, or null for the whole application
 */
public record Reputation(String app, State state, long sends, long bounces, long complaints,
    @Nullable String tenant) {
  /** Checks the required components. */
  public Reputation {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(state, "state");
  }

  /** The figures of the whole application (no tenant). */
  public Reputation(String app, State state, long sends, long bounces, long complaints) {
    this(app, state, sends, bounces, complaints, null);
  }

  /** Returns hard bounces per send within the window, 0 when nothing was sent. */
  public double bounceRate() {
    return sends == 0 ? 0 : (double) bounces / sends;
  }

  /** Returns complaints per send within the window, 0 when nothing was sent. */
  public double complaintRate() {
    return sends == 0 ? 0 : (double) complaints / sends;
  }

  /** The guard's verdict. */
  public enum State {
    /** Below the warning thresholds, or too few sends to judge. */
    OK,
    /** A rate is above its warning threshold; sending goes on. */
    WARNING,
    /** A rate went above its pause threshold: sends are refused with reason {@code paused}. */
    PAUSED;

    /** Returns the lower-case name, for logs and metrics. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Reputation{app=%s" + (tenant == null ? "" : ", tenant=" + tenant)
        + ", state=%s, sends=%d, bounces=%d (%.2f%%), "
        + "complaints=%d (%.3f%%)}", app, state.code(), sends, bounces, 100 * bounceRate(),
        complaints, 100 * complaintRate());
  }
}
