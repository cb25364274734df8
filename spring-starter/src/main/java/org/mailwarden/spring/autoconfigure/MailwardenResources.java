package org.mailwarden.spring.autoconfigure;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.Properties;
import org.mailwarden.internal.Environment;

/**
 * What Mailwarden holds for one Spring application context: quota buckets, suppression stores,
 * pooled connections, store connections and threads, all in one Mailwarden environment that is
 * closed with the context. A second context (another test, a refreshed application) starts with
 * fresh quotas and opens no file the first one holds, instead of sharing JVM-wide state keyed by the
 * application name.
 */
public final class MailwardenResources implements AutoCloseable {

  private final Environment environment;

  MailwardenResources() {
    this.environment = Environment.create(Clock.systemUTC(), Ticker.systemTicker());
  }

  /** Makes a sender's session use this context's state. */
  void apply(Properties session) {
    session.put(Environment.KEY, this.environment);
  }

  /**
   * Counts the pooled SMTP connections of every sender of this context now, touching none.
   * @return the counts
   */
  public PoolConnections poolConnections() {
    Environment.PoolCounts counts = this.environment.poolCounts();
    return new PoolConnections(counts.open(), counts.idle(), counts.leased());
  }

  /**
   * Pooled SMTP connections at one moment.
   * @param open connections open or being opened (idle plus leased)
   * @param idle open connections waiting for a send
   * @param leased connections lent to a send
   */
  public record PoolConnections(int open, int idle, int leased) {
  }

  /** Closes pooled connections, stores, files and threads; the senders must not send afterwards. */
  @Override
  public void close() {
    this.environment.close();
  }

}
