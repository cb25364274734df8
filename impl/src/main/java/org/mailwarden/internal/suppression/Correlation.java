package org.mailwarden.internal.suppression;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
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
 * is stored in the newest segment's array, and the eldest segment is dropped whole once the others
 * hold {@code correlation-size} sends without it, or once its newest send is out of the window. A
 * look-up asks the segments newest first: the newest, still filling, is read from its newest send
 * back; a full one is indexed by ENVID or by Message-ID at the first look-up that needs it (it never
 * changes again). So a send costs a store into an array, whatever the size, and the hashing is paid
 * by bounces, a few per thousand sends, instead of by every send (the designs tried before and their
 * costs are in BENCHMARKS.md). A size-bounded Caffeine cache does not fit: its eviction admits a new
 * entry only if it is read more often than the one it would replace, and a send is never read
 * before its bounce. Thread-safe: one lock.
 */
final class Correlation {
  /**
   * One remembered send: its report, the listener of the engine that sent it, the ticker's time of
   * the send, its ENVID (null when none was sent) and its Message-ID as looked up ({@link #canonical};
   * null when it has none).
   */
  record Sent(SendReport report, MailwardenListener listener, long sentAt, String envid,
      String messageId) {

    /**
     * Returns the address of this send that a bounce naming {@code reported} is about: that address if
     * the send had it (compared as the suppression list compares), else the send's only accepted
     * recipient (the bounce names it after forwarding or aliasing), else null: a bounce tied to this
     * send must never make the application suppress an address it did not send to.
     */
    String recipientFor(String reported) {
      String wanted = normalized(reported);
      List<jakarta.mail.Address> accepted = report.accepted();
      for (List<jakarta.mail.Address> list : List.of(accepted, report.refusedByServer(), report.unsent())) {
        for (jakarta.mail.Address a : list) {
          if (wanted != null && wanted.equals(normalized(addressOf(a)))) {
            return addressOf(a);
          }
        }
      }
      return accepted.size() == 1 ? addressOf(accepted.get(0)) : null;
    }

    private static String addressOf(jakarta.mail.Address a) {
      return a instanceof jakarta.mail.internet.InternetAddress ia ? ia.getAddress() : a.toString();
    }

    private static String normalized(String address) {
      try {
        return address == null ? null : org.mailwarden.suppression.SuppressionList.normalize(address);
      } catch (IllegalArgumentException notAnAddress) {
        return null;
      }
    }
  }

  /** What a bounce names its send by. */
  private enum Key {
    ENVID {
      @Override
      String of(Sent sent) {
        return sent.envid();
      }
    },
    MESSAGE_ID {
      @Override
      String of(Sent sent) {
        return sent.messageId();
      }
    };

    abstract String of(Sent sent);
  }

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

  /** Remembers a send made at {@code now}, read from this correlation's ticker. */
  void remember(SendReport report, MailwardenListener listener, long now) {
    if (windowNanos == 0 || size == 0) {
      return;
    }
    String envid = report.envelopeId().orElse(null);
    String messageId = report.messageId().map(Correlation::canonical).orElse(null);
    if (envid == null && messageId == null) {
      return; // nothing a bounce could name
    }
    Sent sent = new Sent(report, listener, now, envid, messageId);
    synchronized (lock) {
      Segment newest = segments.peekLast();
      if (newest == null || newest.count == segmentSize) {
        newest = new Segment(segmentSize);
        segments.addLast(newest);
      }
      newest.add(sent);
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
        sent = newestFirst.next().find(Key.ENVID, envid);
      }
      for (Iterator<Segment> newestFirst = segments.descendingIterator();
          sent == null && messageId != null && newestFirst.hasNext(); ) {
        sent = newestFirst.next().find(Key.MESSAGE_ID, messageId);
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

  /**
   * Up to one segment's sends, in the order they were sent; once full, indexed by ENVID and by
   * Message-ID at the first look-up of each (the latest send of a key wins, as in a scan newest first).
   */
  private static final class Segment {
    final Sent[] sends;
    int count;
    long newestSentAt;
    /** A full segment's indexes, each built at its first look-up. */
    final Map<Key, Map<String, Sent>> indexes = new EnumMap<>(Key.class);

    Segment(int capacity) {
      sends = new Sent[capacity];
    }

    void add(Sent sent) {
      sends[count] = sent;
      if (count++ == 0 || sent.sentAt() - newestSentAt > 0) { // ticker times may be negative
        newestSentAt = sent.sentAt();
      }
    }

    /** Returns the latest send of this segment whose {@code key} is {@code value}, or null. */
    Sent find(Key key, String value) {
      if (count < sends.length) {
        for (int i = count - 1; i >= 0; i--) {
          if (value.equals(key.of(sends[i]))) {
            return sends[i];
          }
        }
        return null;
      }
      return indexes.computeIfAbsent(key, this::index).get(value);
    }

    private Map<String, Sent> index(Key key) {
      Map<String, Sent> index = new HashMap<>(sends.length * 4 / 3 + 1); // never rehashes
      for (Sent sent : sends) { // in order: the latest send of a key wins
        String k = key.of(sent);
        if (k != null) {
          index.put(k, sent);
        }
      }
      return index;
    }
  }
}
