package org.mailwarden.internal.suppression;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * Remembers the latest sends by ENVID and by Message-ID, so that a bounce can be tied back to the
 * application's message: at least the last {@code suppression.correlation-size} sends (and at most
 * 1/64 more), each for {@code suppression.correlation-window} after it was sent.
 *
 * <p>Sends are kept first in, first out, in segments of up to {@value #MAX_SEGMENT} sends: a send
 * goes into the newest segment's two small maps, and the eldest segment is dropped whole once the
 * others hold {@code correlation-size} sends without it, or once its newest send is out of the
 * window. A look-up asks the segments newest first. So a send costs two puts into maps that are
 * still in the processor's cache, whatever the size; one map of 100,000 sends cost each send the
 * removal of its eldest entry, which no longer was (BENCHMARKS.md). (A Caffeine cache was used
 * before that: its eviction admits a new entry only if it is read more often than the one it would
 * replace, and a send is never read before its bounce, so once full it kept the oldest sends and
 * forgot nine in ten new ones.) Thread-safe: one lock, held for the two puts.
 */
final class Correlation {
  /**
   * One remembered send: its report, the listeners of the session that sent it, the ticker's time of
   * the send, and its Message-ID as looked up ({@link #canonical}; null when it has none).
   */
  record Sent(SendReport report, List<MailwardenListener> listeners, long sentAt, String messageId) {}

  /** The most sends in one segment. */
  static final int MAX_SEGMENT = 1024;

  private final Ticker ticker;
  private final long windowNanos;
  private final long size;
  private final int segmentSize;
  private final Object lock = new Object();
  /** Eldest first; guarded by lock. */
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  /** Sends in all segments; guarded by lock. */
  private long held;

  Correlation(Duration window, long size, Ticker ticker) {
    this.ticker = ticker;
    this.windowNanos = window.toNanos();
    this.size = size;
    this.segmentSize = (int) Math.max(1, Math.min(MAX_SEGMENT, size / 64));
  }

  void remember(SendReport report, List<MailwardenListener> listeners) {
    if (windowNanos == 0 || size == 0) {
      return;
    }
    String envid = report.envelopeId().orElse(null);
    String messageId = report.messageId().map(Correlation::canonical).orElse(null);
    if (envid == null && messageId == null) {
      return; // nothing a bounce could name
    }
    long now = ticker.read();
    Sent sent = new Sent(report, listeners, now, messageId);
    synchronized (lock) {
      Segment newest = segments.peekLast();
      if (newest == null || newest.count == segmentSize) {
        newest = new Segment(segmentSize);
        segments.addLast(newest);
      }
      newest.add(envid, sent);
      held++;
      evict(now);
    }
  }

  /** Returns the send a bounce refers to: by ENVID, else the latest with the original Message-ID. */
  Optional<Sent> find(BouncedRecipient bounce) {
    if (windowNanos == 0 || size == 0) {
      return Optional.empty();
    }
    String envid = bounce.envelopeId() == null ? null : bounce.envelopeId().strip();
    String messageId = bounce.messageId() == null ? null : canonical(bounce.messageId());
    long now = ticker.read();
    synchronized (lock) {
      evict(now);
      Sent sent = null;
      for (Iterator<Segment> newestFirst = segments.descendingIterator();
          sent == null && envid != null && newestFirst.hasNext(); ) {
        sent = newestFirst.next().byEnvid.get(envid);
      }
      for (Iterator<Segment> newestFirst = segments.descendingIterator();
          sent == null && messageId != null && newestFirst.hasNext(); ) {
        sent = newestFirst.next().byMessageId.get(messageId);
      }
      // the segments are dropped whole: a send found may be out of its window already
      return sent != null && now - sent.sentAt() < windowNanos ? Optional.of(sent) : Optional.empty();
    }
  }

  /** Drops the eldest segment while the others hold enough sends, or its newest send is too old. */
  private void evict(long now) {
    for (Segment eldest = segments.peekFirst(); eldest != null; eldest = segments.peekFirst()) {
      if (held - eldest.count < size && now - eldest.newestSentAt < windowNanos) {
        return;
      }
      segments.pollFirst();
      held -= eldest.count;
    }
  }

  /**
   * Returns a Message-ID in angle brackets without white space, as a bounce may quote it either way.
   * A Message-ID as Jakarta Mail writes it is already so and is kept as it is: every send remembers
   * one, and a copy each was an eighth of what the correlation holds.
   */
  private static String canonical(String messageId) {
    int last = messageId.length() - 1;
    if (last > 1 && messageId.charAt(0) == '<' && messageId.charAt(last) == '>'
        && !Character.isWhitespace(messageId.charAt(1))
        && !Character.isWhitespace(messageId.charAt(last - 1))) {
      return messageId;
    }
    String m = messageId.strip();
    if (m.startsWith("<") && m.endsWith(">") && m.length() > 2) {
      m = m.substring(1, m.length() - 1).strip();
    }
    return "<" + m + ">";
  }

  /** Up to one segment's sends, by ENVID and by Message-ID (the latest of the segment wins). */
  private static final class Segment {
    final Map<String, Sent> byEnvid;
    final Map<String, Sent> byMessageId;
    int count;
    long newestSentAt;

    Segment(int capacity) {
      // sized so that a full segment never rehashes
      byEnvid = new HashMap<>(capacity * 4 / 3 + 1);
      byMessageId = new HashMap<>(capacity * 4 / 3 + 1);
    }

    void add(String envid, Sent sent) {
      if (envid != null) {
        byEnvid.put(envid, sent);
      }
      if (sent.messageId() != null) {
        byMessageId.put(sent.messageId(), sent);
      }
      if (count++ == 0 || sent.sentAt() - newestSentAt > 0) { // ticker times may be negative
        newestSentAt = sent.sentAt();
      }
    }
  }
}
