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

  private final String app;
  private final ReputationSettings settings;
  private final Ticker ticker;
  private final long slotNanos;
  private final long[] slotIds = new long[SLOTS];
  private final long[] sends = new long[SLOTS];
  private final long[] bounces = new long[SLOTS];
  private final long[] complaints = new long[SLOTS];
  private State state = State.OK;

  ReputationMonitor(String app, ReputationSettings settings, Ticker ticker) {
    this.app = app;
    this.settings = settings;
    this.ticker = ticker;
    this.slotNanos = Math.max(1, settings.window().toNanos() / SLOTS);
    java.util.Arrays.fill(slotIds, Long.MIN_VALUE);
  }

  /** Counts recipients handed to the server. */
  void sent(long recipients, Consumer<Reputation> onChange) {
    add(sends, recipients, onChange);
  }

  /** Counts a hard bounce (or a synchronous {@code 5.1.x} refusal). */
  void bounced(Consumer<Reputation> onChange) {
    add(bounces, 1, onChange);
  }

  /** Counts a complaint. */
  void complained(Consumer<Reputation> onChange) {
    add(complaints, 1, onChange);
  }

  /** Returns whether sends are refused now; a pause may end here under {@code resume=auto}. */
  boolean isPaused(Consumer<Reputation> onChange) {
    return status(onChange).state() == State.PAUSED;
  }

  /** Returns the current figures, re-judged at the current time. */
  Reputation status(Consumer<Reputation> onChange) {
    Reputation changed;
    Reputation now;
    synchronized (this) {
      State before = state;
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
        java.util.Arrays.fill(slotIds, Long.MIN_VALUE);
        java.util.Arrays.fill(sends, 0);
        java.util.Arrays.fill(bounces, 0);
        java.util.Arrays.fill(complaints, 0);
        state = State.OK;
        changed = new Reputation(app, state, 0, 0, 0);
      }
    }
    if (changed != null) {
      onChange.accept(changed);
    }
  }

  private void add(long[] counter, long n, Consumer<Reputation> onChange) {
    if (!settings.enabled() || n == 0) {
      return;
    }
    Reputation changed;
    synchronized (this) {
      counter[slot()] += n;
      State before = state;
      Reputation now = judge();
      changed = state != before ? now : null;
    }
    if (changed != null) {
      onChange.accept(changed);
    }
  }

  /** Returns the index of the current slot, clearing it when it last held an older period. */
  private int slot() {
    long id = Math.floorDiv(ticker.read(), slotNanos);
    int i = (int) Math.floorMod(id, (long) SLOTS);
    if (slotIds[i] != id) {
      slotIds[i] = id;
      sends[i] = 0;
      bounces[i] = 0;
      complaints[i] = 0;
    }
    return i;
  }

  /** Sums the window, updates {@link #state} and returns the figures. */
  private Reputation judge() {
    if (!settings.enabled()) {
      return new Reputation(app, State.OK, 0, 0, 0);
    }
    long current = Math.floorDiv(ticker.read(), slotNanos);
    long s = 0;
    long b = 0;
    long c = 0;
    for (int i = 0; i < SLOTS; i++) {
      if (slotIds[i] != Long.MIN_VALUE && slotIds[i] > current - SLOTS && slotIds[i] <= current) {
        s += sends[i];
        b += bounces[i];
        c += complaints[i];
      }
    }
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
    return new Reputation(app, state, s, b, c);
  }
}
