package org.mailwarden.internal.suppression;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.function.Consumer;
import org.mailwarden.internal.config.SuppressionSettings.ReputationSettings;
import org.mailwarden.internal.config.SuppressionSettings.Resume;
import org.mailwarden.suppression.Reputation;
import org.mailwarden.suppression.Reputation.State;

/**
 * The reputation guard's arithmetic: sends, hard bounces and complaints counted in a sliding time
 * window ({@code reputation.window}) of 60 slots, and the verdict. A pause is sticky: with
 * {@code reputation.resume=manual} only {@link #resume} ends it; with {@code auto} it ends as soon as
 * the window, as old slots fall out of it, no longer shows a rate at or above a pause threshold (or
 * holds fewer than {@code reputation.min-sends} sends). Time comes from an injected ticker.
 */
final class ReputationMonitor {
  private static final int SLOTS = 60;
  private static final int SENDS = 0;
  private static final int BOUNCES = 1;
  private static final int COMPLAINTS = 2;

  private final String app;
  private final String tenant;
  private final ReputationSettings settings;
  private final Ticker ticker;
  private final long slotNanos;
  /** Per kind (sends, bounces, complaints), the count of each of the last {@value #SLOTS} periods. */
  private final long[][] slots = new long[3][SLOTS];
  /**
   * Per kind, the sum of its slots: kept as counts are added and periods leave the window, so that a
   * verdict (two per send) does not sum the window again.
   */
  private final long[] window = new long[3];
  /** The newest period the slots hold; the slot of period p is p modulo {@value #SLOTS}. */
  private long newest = Long.MIN_VALUE;
  private State state = State.OK;

  ReputationMonitor(String app, ReputationSettings settings, Ticker ticker) {
    this(app, null, settings, ticker);
  }

  /** @param tenant the tenant whose sends this monitor counts, or null for the whole application */
  ReputationMonitor(String app, String tenant, ReputationSettings settings, Ticker ticker) {
    this.tenant = tenant;
    this.app = app;
    this.settings = settings;
    this.ticker = ticker;
    this.slotNanos = Math.max(1, settings.window().toNanos() / SLOTS);
  }

  /** Counts recipients handed to the server. */
  void sent(long recipients, Consumer<Reputation> onChange) {
    sent(recipients, ticker.read(), onChange);
  }

  /** Counts recipients handed to the server at {@code now}, read from this monitor's ticker. */
  void sent(long recipients, long now, Consumer<Reputation> onChange) {
    add(SENDS, recipients, now, onChange);
  }

  /** Counts a hard bounce (or a synchronous {@code 5.1.x} refusal). */
  void bounced(Consumer<Reputation> onChange) {
    add(BOUNCES, 1, ticker.read(), onChange);
  }

  /** Counts a complaint. */
  void complained(Consumer<Reputation> onChange) {
    add(COMPLAINTS, 1, ticker.read(), onChange);
  }

  /** Returns whether sends are refused now; a pause may end here under {@code resume=auto}. */
  boolean isPaused(Consumer<Reputation> onChange) {
    synchronized (this) {
      // every send checks: without a bounce or complaint there is nothing to judge, and moving the
      // window on (a clock read, 30 ns here) would only drop counts, so it cannot add one
      if (isClean()) {
        return false;
      }
      advance(ticker.read());
    }
    return status(onChange).state() == State.PAUSED;
  }

  /** Whether the window holds no bounce and no complaint and the state is OK, so no rate can change it. */
  private boolean isClean() {
    return state == State.OK && window[BOUNCES] == 0 && window[COMPLAINTS] == 0;
  }

  /** Returns the current figures, re-judged at the current time. */
  Reputation status(Consumer<Reputation> onChange) {
    Reputation changed;
    Reputation now;
    synchronized (this) {
      State before = state;
      advance(ticker.read());
      now = judge();
      changed = state != before ? now : null;
    }
    if (changed != null) {
      onChange.accept(changed);
    }
    return now;
  }

  /** Ends a pause and forgets the window; does nothing unless paused. */
  void resume(Consumer<Reputation> onChange) {
    Reputation changed = null;
    synchronized (this) {
      if (state == State.PAUSED) {
        for (long[] kind : slots) {
          java.util.Arrays.fill(kind, 0);
        }
        java.util.Arrays.fill(window, 0);
        state = State.OK;
        changed = new Reputation(app, state, 0, 0, 0, tenant);
      }
    }
    if (changed != null) {
      onChange.accept(changed);
    }
  }

  private void add(int kind, long n, long now, Consumer<Reputation> onChange) {
    if (!settings.enabled() || n == 0) {
      return;
    }
    Reputation changed;
    synchronized (this) {
      int slot = advance(now);
      slots[kind][slot] += n;
      window[kind] += n;
      if (isClean()) {
        return; // sends alone never change an OK state
      }
      State before = state;
      Reputation judged = judge();
      changed = state != before ? judged : null;
    }
    if (changed != null) {
      onChange.accept(changed);
    }
  }

  /**
   * Moves the window to the current period and returns its slot. The periods that enter the window
   * reuse the slots of those that leave it, so each entering period's slot is taken off the sums and
   * cleared: at most {@value #SLOTS} slots, however long nothing was counted. A ticker that goes back
   * counts into the newest period.
   */
  private int advance(long now) {
    long current = Math.floorDiv(now, slotNanos);
    if (current > newest) {
      for (long p = Math.max(newest + 1, current - SLOTS + 1); p <= current; p++) {
        int slot = (int) Math.floorMod(p, (long) SLOTS);
        for (int kind = 0; kind < slots.length; kind++) {
          window[kind] -= slots[kind][slot];
          slots[kind][slot] = 0;
        }
      }
      newest = current;
    }
    return (int) Math.floorMod(newest, (long) SLOTS);
  }

  /** Judges the window as {@link #advance} left it, updates {@link #state} and returns the figures. */
  private Reputation judge() {
    if (!settings.enabled()) {
      return new Reputation(app, State.OK, 0, 0, 0, tenant);
    }
    long s = window[SENDS];
    long b = window[BOUNCES];
    long c = window[COMPLAINTS];
    State verdict = State.OK;
    if (s >= Math.max(1, settings.minSends())) {
      double br = (double) b / s;
      double cr = (double) c / s;
      if (b > 0 && br >= settings.bouncePause() || c > 0 && cr >= settings.complaintPause()) {
        verdict = State.PAUSED;
      } else if (b > 0 && br >= settings.bounceWarning() || c > 0 && cr >= settings.complaintWarning()) {
        verdict = State.WARNING;
      }
    }
    if (state != State.PAUSED || settings.resume() == Resume.AUTO) {
      state = verdict;
    }
    return new Reputation(app, state, s, b, c, tenant);
  }
}
