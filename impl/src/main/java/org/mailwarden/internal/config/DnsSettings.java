package org.mailwarden.internal.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How recipient domains are looked up in DNS ({@code recipients.check-mx} and the {@code dns.*} keys).
 *
 * @param servers the resolvers to ask, in order; empty means the system's resolvers
 * @param timeout how long one query waits for an answer
 * @param retries how many times a query that got no answer is sent again (to the next server in turn)
 * @param maxTtl the longest a positive answer is cached, whatever its TTL says
 * @param negativeTtl the longest a negative answer (no such domain, no record) is cached
 * @param maxSize the most domains the cache holds
 * @param onFailure what to do when DNS itself fails (timeout, SERVFAIL)
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, int retries,
    Duration maxTtl, Duration negativeTtl, long maxSize, OnFailure onFailure) {

  /** What to do with a recipient whose domain could not be looked up. */
  public enum OnFailure {
    /** Send anyway and log a warning: a DNS outage should not stop all mail. */
    SEND,
    /** Refuse the recipient with reason {@code dns-unavailable}. */
    REFUSE
  }

  /** The defaults of {@link Keys}: system resolvers, 2 s timeout, 1 retry, 1 h positive and 5 min negative cap. */
  public static final DnsSettings DEFAULTS = new DnsSettings(List.of(), Keys.DNS_TIMEOUT.defaultValue(),
      Keys.DNS_RETRIES.defaultValue(), Keys.DNS_MAX_TTL.defaultValue(), Keys.DNS_NEGATIVE_TTL.defaultValue(),
      Keys.DNS_MAX_SIZE.defaultValue(), Keys.DNS_ON_FAILURE.defaultValue());

  public DnsSettings {
    servers = List.copyOf(servers);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(maxTtl, "maxTtl");
    Objects.requireNonNull(negativeTtl, "negativeTtl");
    Objects.requireNonNull(onFailure, "onFailure");
  }

  /** Returns the longest a whole lookup may take: {@code timeout * (retries + 1)}. */
  public Duration budget() {
    return timeout.multipliedBy(retries + 1L);
  }
}
