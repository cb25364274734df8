package org.mailwarden.spring.actuate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToIntFunction;
import org.mailwarden.spring.autoconfigure.MailwardenResources;
import org.mailwarden.spring.autoconfigure.MailwardenResources.PoolConnections;

/**
 * Gauges of the pooled SMTP connections of every guarded sender of the context:
 * {@code mailwarden.pool.connections.open} (idle plus leased), {@code mailwarden.pool.connections.idle}
 * (open and waiting for a send) and {@code mailwarden.pool.connections.leased} (lent to a send). Reading
 * them counts, and touches no connection.
 */
public class MailwardenPoolMetrics implements MeterBinder {

  private final MailwardenResources resources;

  /**
   * Creates the binder.
   * @param resources the context's Mailwarden state
   */
  public MailwardenPoolMetrics(MailwardenResources resources) {
    this.resources = resources;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "open", "SMTP connections open (idle plus leased)", PoolConnections::open);
    gauge(registry, "idle", "SMTP connections open and waiting for a send", PoolConnections::idle);
    gauge(registry, "leased", "SMTP connections lent to a send", PoolConnections::leased);
  }

  private void gauge(MeterRegistry registry, String state, String description, ToIntFunction<PoolConnections> count) {
    Gauge.builder("mailwarden.pool.connections." + state, this.resources,
        (resources) -> count.applyAsInt(resources.poolConnections()))
      .description(description)
      .strongReference(true)
      .register(registry);
  }

}
