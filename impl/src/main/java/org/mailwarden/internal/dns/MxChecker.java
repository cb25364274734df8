package org.mailwarden.internal.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mailwarden.internal.config.DnsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Decides whether a recipient domain can receive mail, from DNS, with answers cached.
 *
 * <p>A domain is mail-capable when it has an MX record other than the null MX of RFC 7505
 * ({@code 0 .}), or no MX record but an A or AAAA record (the implicit MX of RFC 5321 section 5.1).
 * Every MX record is looked at, not only the first. The A and AAAA queries are sent together, and
 * only when the MX query found nothing.
 *
 * <p>Verdicts are cached in Caffeine: positive ones (mail-capable, null MX) for their TTL but at most
 * {@code dns.cache.max-ttl}; negative ones (NXDOMAIN, no record) for the SOA's negative TTL but at most
 * {@code dns.cache.negative-ttl}; DNS failures for {@link #FAILURE_TTL} (at most the negative TTL), so
 * an outage costs one wait per domain and not one per message. Concurrent checks of the same domain
 * share one lookup. A whole lookup takes at most {@link DnsSettings#budget()}.
 */
public final class MxChecker {
  /** How long a DNS failure is remembered before the domain is asked again. */
  public static final Duration FAILURE_TTL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(MxChecker.class);

  private final DnsSettings settings;
  private final List<Resolver> resolvers;
  private final long timeoutNanos;
  private final int tries;
  private final AsyncCache<String, DomainVerdict> cache;
  private final DnsStats stats = new DnsStats();
  private final long budgetNanos;

  /** Creates a checker that asks the servers of the settings (or the system's resolvers). */
  public MxChecker(DnsSettings settings) {
    this.settings = settings;
    this.resolvers = resolvers(settings);
    this.timeoutNanos = settings.timeout().toNanos();
    this.tries = settings.retries() + 1;
    this.budgetNanos = settings.budget().toNanos();
    this.cache = Caffeine.newBuilder()
        .maximumSize(settings.maxSize())
        .expireAfter(Expiry.<String, DomainVerdict>creating((domain, verdict) -> verdict.ttl()))
        .buildAsync();
  }

  /** Returns the settings this checker was built with. */
  public DnsSettings settings() {
    return settings;
  }

  /** Returns the counters of lookups, cache hits and failures. */
  public DnsStats stats() {
    return stats;
  }

  /**
   * Returns the verdict for a domain: at once when cached, otherwise a future that completes within
   * {@link DnsSettings#budget()} and never exceptionally (failures are {@link DomainVerdict.Kind#DNS_FAILURE}).
   *
   * @param asciiDomain the domain in lower-case A-label form, without a trailing dot
   */
  public CompletableFuture<DomainVerdict> check(String asciiDomain) {
    CompletableFuture<DomainVerdict> cached = cache.getIfPresent(asciiDomain);
    if (cached != null) {
      stats.cacheHit();
      return cached;
    }
    boolean[] started = new boolean[1];
    CompletableFuture<DomainVerdict> verdict = cache.get(asciiDomain, (domain, executor) -> {
      started[0] = true; // the mapping function runs on this thread, inside the cache's compute
      stats.lookup();
      return lookup(domain);
    });
    if (!started[0]) {
      stats.cacheHit(); // another thread's lookup of the same domain, in flight or just finished
    }
    return verdict;
  }

  private CompletableFuture<DomainVerdict> lookup(String domain) {
    Name name;
    try {
      name = Name.fromString(domain, Name.root);
    } catch (TextParseException e) {
      return CompletableFuture.completedFuture(new DomainVerdict(DomainVerdict.Kind.NO_SUCH_DOMAIN,
          domain + " is not a valid DNS name: " + e.getMessage(), settings.negativeTtl()));
    }
    return query(name, Type.MX)
        .thenCompose(answer -> afterMx(domain, name, answer))
        .orTimeout(budgetNanos, TimeUnit.NANOSECONDS)
        .exceptionally(e -> failure(domain, describe(e)))
        .thenApply(verdict -> {
          if (verdict.kind() == DomainVerdict.Kind.DNS_FAILURE) {
            stats.failure();
            LOG.warn("DNS lookup of recipient domain {} failed: {}; {}", domain, verdict.detail(),
                settings.onFailure() == DnsSettings.OnFailure.SEND
                    ? "its recipients are sent to anyway (dns.on-failure=send)"
                    : "its recipients are refused (dns.on-failure=refuse)");
          }
          return verdict;
        });
  }

  private CompletableFuture<DomainVerdict> afterMx(String domain, Name name, Message answer) {
    int rcode = answer.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      return CompletableFuture.completedFuture(noSuchDomain(domain, answer));
    }
    if (rcode != Rcode.NOERROR) {
      return CompletableFuture.completedFuture(
          failure(domain, "the MX query was answered " + Rcode.string(rcode)));
    }
    List<MXRecord> mx = new ArrayList<>();
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r instanceof MXRecord m) {
        mx.add(m);
      }
    }
    if (!mx.isEmpty()) {
      long ttl = Long.MAX_VALUE;
      MXRecord usable = null;
      for (MXRecord m : mx) {
        ttl = Math.min(ttl, m.getTTL());
        if (!m.getTarget().equals(Name.root) && (usable == null || m.getPriority() < usable.getPriority())) {
          usable = m;
        }
      }
      if (usable != null) {
        return CompletableFuture.completedFuture(new DomainVerdict(DomainVerdict.Kind.MAIL_CAPABLE,
            domain + " has MX " + usable.getPriority() + " " + usable.getTarget(), positiveTtl(ttl)));
      }
      return CompletableFuture.completedFuture(new DomainVerdict(DomainVerdict.Kind.NULL_MX,
          domain + " publishes a null MX (RFC 7505): it accepts no mail", positiveTtl(ttl)));
    }
    return implicitMx(domain, name);
  }

  /** No MX record: the A and AAAA queries go out together; the first address found decides. */
  private CompletableFuture<DomainVerdict> implicitMx(String domain, Name name) {
    CompletableFuture<DomainVerdict> verdict = new CompletableFuture<>();
    Object[] outcomes = new Object[2]; // a Message or a Throwable per query, guarded by itself
    int[] types = {Type.A, Type.AAAA};
    for (int i = 0; i < 2; i++) {
      int index = i;
      query(name, types[i]).whenComplete((answer, error) -> {
        DomainVerdict address = answer == null ? null : addressFound(domain, answer, types[index]);
        if (address != null) {
          verdict.complete(address);
          return;
        }
        synchronized (outcomes) {
          outcomes[index] = answer != null ? answer : error;
          if (outcomes[0] != null && outcomes[1] != null) {
            verdict.complete(noAddress(domain, outcomes));
          }
        }
      });
    }
    return verdict;
  }

  private DomainVerdict addressFound(String domain, Message answer, int type) {
    if (answer.getRcode() != Rcode.NOERROR) {
      return null;
    }
    long ttl = Long.MAX_VALUE;
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r.getType() == type) {
        ttl = Math.min(ttl, r.getTTL());
      }
    }
    if (ttl == Long.MAX_VALUE) {
      return null;
    }
    return new DomainVerdict(DomainVerdict.Kind.MAIL_CAPABLE,
        domain + " has no MX but an " + Type.string(type) + " record (implicit MX)", positiveTtl(ttl));
  }

  private DomainVerdict noAddress(String domain, Object[] outcomes) {
    for (Object o : outcomes) {
      if (o instanceof Message m && m.getRcode() == Rcode.NXDOMAIN) {
        return noSuchDomain(domain, m);
      }
    }
    for (int i = 0; i < outcomes.length; i++) {
      String type = i == 0 ? "A" : "AAAA";
      if (outcomes[i] instanceof Throwable t) {
        return failure(domain, "the " + type + " query failed: " + describe(t));
      }
      if (outcomes[i] instanceof Message m && m.getRcode() != Rcode.NOERROR) {
        return failure(domain, "the " + type + " query was answered " + Rcode.string(m.getRcode()));
      }
    }
    return new DomainVerdict(DomainVerdict.Kind.NO_MAIL_SERVER,
        domain + " has no MX, A or AAAA record", negativeTtl((Message) outcomes[0]));
  }

  private DomainVerdict noSuchDomain(String domain, Message answer) {
    return new DomainVerdict(DomainVerdict.Kind.NO_SUCH_DOMAIN, domain + " does not exist (NXDOMAIN)",
        negativeTtl(answer));
  }

  private DomainVerdict failure(String domain, String why) {
    Duration ttl = FAILURE_TTL.compareTo(settings.negativeTtl()) < 0 ? FAILURE_TTL : settings.negativeTtl();
    return new DomainVerdict(DomainVerdict.Kind.DNS_FAILURE, "DNS lookup of " + domain + " failed: " + why, ttl);
  }

  private Duration positiveTtl(long seconds) {
    Duration ttl = Duration.ofSeconds(seconds);
    return ttl.compareTo(settings.maxTtl()) < 0 ? ttl : settings.maxTtl();
  }

  /** RFC 2308: the negative TTL is the smaller of the SOA's TTL and MINIMUM, capped by configuration. */
  private Duration negativeTtl(Message answer) {
    for (Record r : answer.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        Duration ttl = Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum()));
        return ttl.compareTo(settings.negativeTtl()) < 0 ? ttl : settings.negativeTtl();
      }
    }
    return settings.negativeTtl();
  }

  /**
   * Sends one query: each try waits {@code dns.timeout}, and a try without an answer (a timeout or
   * a network error) is sent again to the next server, {@code dns.retries + 1} tries in all. An
   * answer of any kind (SERVFAIL included) ends the query.
   *
   * <p>The tries are timed here rather than by dnsjava's {@code ExtendedResolver}: dnsjava checks
   * its timeouts in its selector thread about once a second (and only when the selector is idle),
   * so a sub-second timeout there fires late and the retries never happen within the budget.
   */
  private CompletableFuture<Message> query(Name name, int type) {
    return attempt(Message.newQuery(Record.newRecord(name, type, DClass.IN)), 0);
  }

  private CompletableFuture<Message> attempt(Message query, int attempt) {
    Resolver resolver = resolvers.get(attempt % resolvers.size());
    CompletableFuture<Message> answer;
    try {
      // a copy, so our timeout never completes dnsjava's own future
      answer = resolver.sendAsync(query).toCompletableFuture().copy();
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
        .handle((message, error) -> {
          if (error == null) {
            return CompletableFuture.completedFuture(message);
          }
          if (attempt + 1 < tries) {
            return attempt(query, attempt + 1);
          }
          return CompletableFuture.<Message>failedFuture(error);
        })
        .thenCompose(f -> f);
  }

  private String describe(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException) {
      return "no answer within " + settings.budget().toMillis() + " ms (dns.timeout "
          + settings.timeout().toMillis() + " ms, dns.retries " + settings.retries() + ")";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** One {@link SimpleResolver} per server (the configured ones, or the system's). */
  private static List<Resolver> resolvers(DnsSettings settings) {
    List<InetSocketAddress> servers = settings.servers().isEmpty()
        ? ResolverConfig.getCurrentConfig().servers() : settings.servers();
    if (servers.isEmpty()) {
      servers = List.of(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 53));
    }
    List<Resolver> resolvers = new ArrayList<>(servers.size());
    for (InetSocketAddress server : servers) {
      SimpleResolver r = new SimpleResolver(server);
      r.setTimeout(settings.timeout()); // so dnsjava forgets an abandoned try too
      resolvers.add(r);
    }
    return List.copyOf(resolvers);
  }
}
