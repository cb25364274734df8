package org.mailwarden.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailwarden.SendTimeoutException;

/**
 * The bound on one send ({@code send-timeout}): a watchdog on the environment's timer thread that, when
 * the send has not ended in time, closes the socket of the send's connection, so that whatever the
 * send waits for (the greeting, a reply, a write, a TLS handshake) fails at once. The send then fails
 * with a {@link SendTimeoutException} and is not tried again. The watchdog and the end of the send
 * race for one state, so a send that ended in time is never aborted afterwards.
 */
final class SendDeadline {
  static final String KEY = "send-timeout";
  private static final int RUNNING = 0;
  private static final int ENDED = 1;
  private static final int EXPIRED = 2;

  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final Duration timeout;
  private final Runnable abort;
  private final ScheduledFuture<?> watchdog;

  private SendDeadline(Duration timeout, Runnable abort, ScheduledExecutorService timer) {
    this.timeout = timeout;
    this.abort = abort;
    this.watchdog = timer.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Starts the bound of a send, or returns null when {@code timeout} is zero (no bound).
   *
   * @param abort closes the send's connection; run on the timer thread, so it takes no lock
   */
  static SendDeadline start(Duration timeout, Runnable abort, ScheduledExecutorService timer) {
    return timeout.isZero() ? null : new SendDeadline(timeout, abort, timer);
  }

  /** Returns whether the bound passed before the send ended. */
  boolean expired() {
    return state.get() == EXPIRED;
  }

  /**
   * Ends the bound: the watchdog will not fire.
   *
   * @return false when it fired first (then the connection may have been closed under the send)
   */
  boolean end() {
    watchdog.cancel(false);
    return state.compareAndSet(RUNNING, ENDED) || state.get() == ENDED;
  }

  /** Returns the failure of a send that ran out of time while doing what {@code cause} says. */
  SendTimeoutException failure(Exception cause) {
    return new SendTimeoutException(KEY, timeout, cause);
  }

  private void expire() {
    if (state.compareAndSet(RUNNING, EXPIRED)) {
      abort.run();
    }
  }
}
