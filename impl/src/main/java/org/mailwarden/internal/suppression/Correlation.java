package org.mailwarden.internal.suppression;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * Remembers recent sends by ENVID and by Message-ID, so that a bounce can be tied back to the
 * application's message ({@code suppression.correlation-window}, {@code suppression.correlation-size}).
 *
 * <p>Every send passes through here, and a write into a full cache of 100,000 sends (an eviction, a
 * pass of the cache's maintenance) was a third of the decision path (BENCHMARKS.md). So:
 * <ul>
 *   <li>each send is one cache entry, under its ENVID (or its Message-ID when it has none), and the
 *       size bound counts sends; a Message-ID is found through a map from Message-ID to the key of
 *       the latest send that carried it, and the cache removes a send's line from that map when it
 *       evicts the send, so the map never holds more than the cache;</li>
 *   <li>sends are written in batches of {@value #BATCH}: a send only adds itself to the batch, and
 *       the send that fills it writes the batch and runs the cache's maintenance once for all of it.
 *       A look-up writes the pending batch first, so it sees every send; a send expires
 *       {@code correlation-window} after the send, not after the write (its own expiry); the size
 *       bound may be exceeded by one batch.</li>
 * </ul>
 * Thread-safe: the batch and the writes are guarded by one lock.
 */
final class Correlation {
  /**
   * One remembered send: its report, the listeners of the session that sent it, the ticker's time of
   * the send, and its Message-ID as the index holds it (null when it has none).
   */
  record Sent(SendReport report, List<MailwardenListener> listeners, long sentAt, String messageId) {}

  /**
   * The cache key of a send without ENVID. The key of a send with one is the ENVID itself, the
   * report's own string: the two kinds of key are of different types, so they cannot collide.
   */
  private record ByMessageId(String messageId) {}

  /** Sends written to the cache together. */
  static final int BATCH = 32;

  private final Ticker ticker;
  private final Cache<Object, Sent> sends;
  /** The cache's maintenance, kept by its executor until the end of a batch. */
  private final AtomicReference<Runnable> maintenance = new AtomicReference<>();
  private final Object lock = new Object();
  /** A Message-ID to the cache key of the latest send that carried it; guarded by lock. */
  private final Map<String, Object> byMessageId = new HashMap<>();
  /** Sends not written yet, as parallel arrays (nothing is built per send); guarded by lock. */
  private final SendReport[] reports = new SendReport[BATCH];
  @SuppressWarnings("unchecked") // an array of a generic type cannot be created otherwise
  private final List<MailwardenListener>[] listenersOf = (List<MailwardenListener>[]) new List<?>[BATCH];
  private final long[] sentAt = new long[BATCH];
  private int pending;

  Correlation(Duration window, long size, Ticker ticker) {
    this.ticker = ticker;
    this.sends = window.isZero() || size == 0 ? null
        : Caffeine.newBuilder().ticker(ticker).expireAfter(new SinceSend(window.toNanos()))
            .maximumSize(size).executor(maintenance::set).evictionListener(this::evicted).build();
  }

  void remember(SendReport report, List<MailwardenListener> listeners) {
    if (sends == null) {
      return;
    }
    if (report.envelopeId().isEmpty() && report.messageId().isEmpty()) {
      return; // nothing a bounce could name
    }
    long now = ticker.read();
    synchronized (lock) {
      reports[pending] = report;
      listenersOf[pending] = listeners;
      sentAt[pending] = now;
      if (++pending == BATCH) {
        writeBatch();
      }
    }
  }

  /** Returns the send a bounce refers to: by ENVID, else by the original Message-ID. */
  Optional<Sent> find(BouncedRecipient bounce) {
    if (sends == null) {
      return Optional.empty();
    }
    synchronized (lock) {
      writeBatch();
      Sent sent = bounce.envelopeId() == null ? null
          : sends.getIfPresent(bounce.envelopeId().strip());
      if (sent == null && bounce.messageId() != null) {
        Object key = byMessageId.get(bareMessageId(bounce.messageId()));
        sent = key == null ? null : sends.getIfPresent(key);
      }
      return Optional.ofNullable(sent);
    }
  }

  /** Writes the pending sends, then runs the cache's maintenance once. */
  private void writeBatch() {
    for (int i = 0; i < pending; i++) {
      SendReport report = reports[i];
      String envid = report.envelopeId().orElse(null);
      String messageId = report.messageId().map(Correlation::bareMessageId).orElse(null);
      Object key = envid != null ? envid : new ByMessageId(messageId);
      sends.put(key, new Sent(report, listenersOf[i], sentAt[i], messageId));
      reports[i] = null;
      listenersOf[i] = null;
      if (messageId != null) {
        byMessageId.put(messageId, key);
      }
    }
    pending = 0;
    Runnable task = maintenance.getAndSet(null);
    if (task != null) {
      task.run();
    }
  }

  /** Forgets the Message-ID of an evicted send, unless a later send carried it since. */
  private void evicted(Object key, Sent sent, RemovalCause cause) {
    if (sent != null && sent.messageId() != null) {
      synchronized (lock) {
        byMessageId.remove(sent.messageId(), key);
      }
    }
  }

  /** Returns a Message-ID without white space and angle brackets, as a bounce may quote it either way. */
  private static String bareMessageId(String messageId) {
    String m = messageId.strip();
    if (m.startsWith("<") && m.endsWith(">") && m.length() > 2) {
      m = m.substring(1, m.length() - 1).strip();
    }
    return m;
  }

  /** A send expires {@code window} after it was sent, however late it was written. */
  private record SinceSend(long window) implements Expiry<Object, Sent> {
    @Override
    public long expireAfterCreate(Object key, Sent sent, long currentTime) {
      return Math.max(0, window - (currentTime - sent.sentAt()));
    }

    @Override
    public long expireAfterUpdate(Object key, Sent sent, long currentTime, long currentDuration) {
      return expireAfterCreate(key, sent, currentTime);
    }

    @Override
    public long expireAfterRead(Object key, Sent sent, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
