package org.mailwarden.internal.suppression;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * Remembers recent sends by ENVID and by Message-ID, so that a bounce can be tied back to the
 * application's message ({@code suppression.correlation-window}, {@code suppression.correlation-size}).
 */
final class Correlation {
  /** One remembered send: its report, and the listeners of the session that sent it. */
  record Sent(SendReport report, List<MailwardenListener> listeners) {}

  private final Cache<String, Sent> sends;

  Correlation(Duration window, long size, Ticker ticker) {
    this.sends = window.isZero() || size == 0 ? null
        // maintenance on the calling thread: every send writes here, and Caffeine's default hands each
        // write's clean-up to the common ForkJoinPool, a thread wake-up per send (BENCHMARKS.md)
        : Caffeine.newBuilder().ticker(ticker).expireAfterWrite(window).maximumSize(size)
            .executor(Runnable::run).build();
  }

  void remember(SendReport report, List<MailwardenListener> listeners) {
    if (sends == null) {
      return;
    }
    Sent sent = new Sent(report, listeners);
    String envid = report.envelopeId().orElse(null);
    if (envid != null) {
      sends.put("envid:" + envid, sent);
    }
    String messageId = report.messageId().orElse(null);
    if (messageId != null) {
      sends.put(messageIdKey(messageId), sent);
    }
  }

  /** Returns the send a bounce refers to: by ENVID, else by the original Message-ID. */
  Optional<Sent> find(BouncedRecipient bounce) {
    if (sends == null) {
      return Optional.empty();
    }
    Sent sent = bounce.envelopeId() == null ? null : sends.getIfPresent("envid:" + bounce.envelopeId().strip());
    if (sent == null && bounce.messageId() != null) {
      sent = sends.getIfPresent(messageIdKey(bounce.messageId()));
    }
    return Optional.ofNullable(sent);
  }

  private static String messageIdKey(String messageId) {
    String m = messageId.strip();
    if (m.startsWith("<") && m.endsWith(">") && m.length() > 2) {
      m = m.substring(1, m.length() - 1).strip();
    }
    return "mid:" + m;
  }
}
