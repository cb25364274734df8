package org.mailwarden.internal.suppression;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * Remembers the latest sends by ENVID and by Message-ID, so that a bounce can be tied back to the
 * application's message: the last {@code suppression.correlation-size} sends, each for
 * {@code suppression.correlation-window} after it was sent.
 *
 * <p>What must be kept is exactly the most recent sends, so the sends are held first in, first out,
 * in a {@link LinkedHashMap} in the order they were sent: a send beyond the size, or older than the
 * window, leaves from the eldest end. (A Caffeine cache was used before: its eviction admits a new
 * entry only if it is used more often than the one it would replace, and a send is never read before
 * its bounce, so once the cache was full it kept the oldest sends and forgot nine in ten new ones.)
 * Each send is one entry, under its ENVID, or its Message-ID when it has none; a Message-ID is found
 * through a map to the key of the latest send that carried it, kept in step with the entries.
 * Thread-safe: one lock, held for a few map operations per send.
 */
final class Correlation {
  /**
   * One remembered send: its report, the listeners of the session that sent it, the ticker's time of
   * the send, and its Message-ID as the index holds it (null when it has none).
   */
  record Sent(SendReport report, List<MailwardenListener> listeners, long sentAt, String messageId) {}

  /**
   * The key of a send without ENVID. The key of a send with one is the ENVID itself, the report's
   * own string: the two kinds of key are of different types, so they cannot collide.
   */
  private record ByMessageId(String messageId) {}

  private final Ticker ticker;
  private final long windowNanos;
  private final long size;
  private final Object lock = new Object();
  /** Key to send, eldest first; guarded by lock. */
  private final LinkedHashMap<Object, Sent> sends = new LinkedHashMap<>();
  /** A Message-ID to the key of the latest send that carried it; guarded by lock. */
  private final Map<String, Object> byMessageId = new HashMap<>();

  Correlation(Duration window, long size, Ticker ticker) {
    this.ticker = ticker;
    this.windowNanos = window.toNanos();
    this.size = size;
  }

  void remember(SendReport report, List<MailwardenListener> listeners) {
    if (windowNanos == 0 || size == 0) {
      return;
    }
    String envid = report.envelopeId().orElse(null);
    String messageId = report.messageId().map(Correlation::bareMessageId).orElse(null);
    if (envid == null && messageId == null) {
      return; // nothing a bounce could name
    }
    Object key = envid != null ? envid : new ByMessageId(messageId);
    long now = ticker.read();
    Sent sent = new Sent(report, listeners, now, messageId);
    synchronized (lock) {
      Sent earlier = sends.remove(key); // a key sent again moves to the newest end
      if (earlier != null) {
        forget(key, earlier);
      }
      sends.put(key, sent);
      if (messageId != null) {
        byMessageId.put(messageId, key);
      }
      evict(now);
    }
  }

  /** Returns the send a bounce refers to: by ENVID, else by the original Message-ID. */
  Optional<Sent> find(BouncedRecipient bounce) {
    if (windowNanos == 0 || size == 0) {
      return Optional.empty();
    }
    long now = ticker.read();
    synchronized (lock) {
      evict(now);
      Sent sent = bounce.envelopeId() == null ? null : sends.get(bounce.envelopeId().strip());
      if (sent == null && bounce.messageId() != null) {
        Object key = byMessageId.get(bareMessageId(bounce.messageId()));
        sent = key == null ? null : sends.get(key);
      }
      // sends of other threads may be a few nanoseconds out of order: check the one found too
      return sent != null && now - sent.sentAt() < windowNanos ? Optional.of(sent) : Optional.empty();
    }
  }

  /** Drops sends from the eldest end while there are too many or the eldest is out of the window. */
  private void evict(long now) {
    Iterator<Map.Entry<Object, Sent>> eldest = sends.entrySet().iterator();
    while (eldest.hasNext()) {
      Map.Entry<Object, Sent> entry = eldest.next();
      if (sends.size() <= size && now - entry.getValue().sentAt() < windowNanos) {
        return;
      }
      eldest.remove();
      forget(entry.getKey(), entry.getValue());
    }
  }

  /** Forgets the Message-ID of a send that leaves, unless a later send carried it since. */
  private void forget(Object key, Sent sent) {
    if (sent.messageId() != null) {
      byMessageId.remove(sent.messageId(), key);
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
}
