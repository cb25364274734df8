package org.mailwarden.internal.policy;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.Bucket;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.QuotaUsage;
import org.mailwarden.SendRefusedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.DomainRules;
import org.mailwarden.internal.config.Limit;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;
import org.mailwarden.internal.config.TenantSettings;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.internal.suppression.Admission;
import org.mailwarden.spi.SuppressionStore;

/**
 * Charges a message to the application's quotas: one token per message limit, one per recipient for
 * each recipient limit, and one per recipient of a domain for that domain's limits. Either every
 * bucket is charged or none is (tokens taken before a refusal are given back), so a refused message
 * never uses quota and concurrent senders are never over-admitted.
 *
 * <p>Buckets refill greedily: {@code limit.messages-per-minute=10} admits 10 at once, then one every
 * six seconds. A message with more recipients than a recipient limit's capacity is admitted only
 * into a full bucket and leaves it in debt, so the average rate still holds. With
 * {@code limit.max-wait} above zero a send may wait for tokens, but never past that bound.
 *
 * <p>The charge goes through the engine's {@link Admission}: when a shared store answers the
 * suppression look-up together with the charge, the recipients are looked up here, and the listed
 * ones are refused or dropped as the suppression link would before the rest is charged.
 */
public final class QuotaPolicy implements Policy {
  /** Sleeps; replaced in tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final String app;
  private final QuotaStore store;
  private final List<Limit> messageLimits;
  private final List<Limit> recipientLimits;
  private final Map<String, List<Limit>> domainLimits;
  private final long maxWaitNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final Map<Limit, Slot> slots = new HashMap<>();
  /** Message limits then recipient limits, in charge order: a shortfall's index names its limit. */
  private final List<Limit> fixedLimits;
  private final Slot[] recipientSlots;
  /** The message limits' charges, one token each: the same for every send. */
  private final List<QuotaStore.Charge> messageCharges;
  /**
   * Without domain limits, the charges of a send with i recipients, built at the first such send
   * (immutable: a racy first build is harmless).
   */
  private final List<QuotaStore.Charge>[] chargesByCount;
  private final Admission admission;
  private final OnInvalid onInvalid;
  private final TenantSettings tenants;
  private final boolean hasTenantLimits;
  private final boolean reportOnly;
  /** Per tenant seen recently, its limits and their slots: bounded, idle tenants are forgotten. */
  private final com.github.benmanes.caffeine.cache.LoadingCache<String, TenantQuota> tenantSlots;

  /**
   * @param store where the buckets live (read by {@link #usage()})
   * @param admission where charges go, with the recipients' look-up when the store answers both
   *     together: over the same quota store
   * @param onInvalid what a recipient listed on the suppression list does to the message, as for
   *     the suppression link
   */
  public QuotaPolicy(String app, QuotaStore store, List<Limit> messageLimits,
      List<Limit> recipientLimits, Map<String, List<Limit>> domainLimits, Duration maxWait,
      LongSupplier nanoTime, Sleeper sleeper, Admission admission, OnInvalid onInvalid) {
    this(app, store, messageLimits, recipientLimits, domainLimits, maxWait, nanoTime, sleeper, admission,
        onInvalid, TenantSettings.NONE, false);
  }

  /**
   * @param tenants the quotas of tenants ({@code tenant.limit.*}), charged with the application's
   *     in the same all-or-nothing charge
   * @param reportOnly whether a send over a quota goes on ({@code mode=report-only}): the buckets are
   *     then charged all the same, into debt, so that they count what was sent
   */
  public QuotaPolicy(String app, QuotaStore store, List<Limit> messageLimits,
      List<Limit> recipientLimits, Map<String, List<Limit>> domainLimits, Duration maxWait,
      LongSupplier nanoTime, Sleeper sleeper, Admission admission, OnInvalid onInvalid,
      TenantSettings tenants, boolean reportOnly) {
    this.tenants = java.util.Objects.requireNonNull(tenants, "tenants");
    this.hasTenantLimits = tenants.hasLimits();
    this.reportOnly = reportOnly;
    // bounded by size only: no clock read per look-up; the buckets themselves expire in the store
    this.tenantSlots = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
        .maximumSize(10_000).executor(Runnable::run)
        .build(tenant -> new TenantQuota(tenants.limitsOf(tenant).stream().map(this::newSlot).toArray(Slot[]::new)));
    this.app = app;
    this.admission = java.util.Objects.requireNonNull(admission, "admission");
    this.onInvalid = onInvalid;
    this.store = store;
    this.messageLimits = messageLimits;
    this.recipientLimits = recipientLimits;
    this.domainLimits = domainLimits;
    this.maxWaitNanos = maxWait.toNanos();
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    for (Limit limit : messageLimits) {
      slot(limit);
    }
    for (Limit limit : recipientLimits) {
      slot(limit);
    }
    for (List<Limit> limits : domainLimits.values()) {
      for (Limit limit : limits) {
        slot(limit);
      }
    }
    List<Limit> fixed = new ArrayList<>(messageLimits);
    fixed.addAll(recipientLimits);
    this.fixedLimits = List.copyOf(fixed);
    this.recipientSlots = recipientLimits.stream().map(slots::get).toArray(Slot[]::new);
    this.messageCharges = messageLimits.stream().map(slots::get)
        .map(slot -> new QuotaStore.Charge(slot.key, slot.configuration, slot.limit.count(), 1))
        .toList();
    @SuppressWarnings("unchecked") // an array of a generic type cannot be created otherwise
    List<QuotaStore.Charge>[] byCount =
        (List<QuotaStore.Charge>[]) new List<?>[domainLimits.isEmpty() ? 65 : 0];
    this.chargesByCount = byCount;
  }

  private Slot slot(Limit limit) {
    return slots.computeIfAbsent(limit, this::newSlot);
  }

  private Slot newSlot(Limit l) {
    return new Slot(l, app + '|' + l.key() + '|' + l.count(),
        () -> BucketConfiguration.builder()
            .addLimit(Bandwidth.builder().capacity(l.count()).refillGreedy(l.count(), l.period()).build())
            .build());
  }

  /** Returns whether any limit is configured; without one the policy need not be in the chain. */
  public boolean isActive() {
    return !messageLimits.isEmpty() || !recipientLimits.isEmpty() || !domainLimits.isEmpty()
        || tenants.hasLimits();
  }

  /**
   * Returns the state of one tenant's limits ({@code tenant.limit.<tenant>.*}); a limit whose bucket
   * the store does not hold is reported full. Reading never consumes tokens.
   */
  public List<QuotaUsage> usage(String tenant) {
    Slot[] tenantLimits = tenantSlots.get(org.mailwarden.Mailwarden.checkTenant(tenant)).slots;
    List<QuotaUsage> usage = new ArrayList<>(tenantLimits.length);
    for (Slot slot : tenantLimits) {
      long available = store.holds(slot.key) ? bucket(slot).getAvailableTokens() : slot.limit.count();
      usage.add(new QuotaUsage(slot.limit.key(), slot.limit.count(), available, slot.limit.period()));
    }
    return List.copyOf(usage);
  }

  @Override
  public String name() {
    return "quota";
  }

  /**
   * Returns the state of every configured limit: message limits, recipient limits, then per-domain
   * limits (by domain). A limit whose bucket the store does not hold (never used, or refilled and dropped) is
   * reported full without creating a bucket; reading never consumes tokens.
   */
  public List<QuotaUsage> usage() {
    List<Limit> limits = new ArrayList<>(messageLimits);
    limits.addAll(recipientLimits);
    new java.util.TreeMap<>(domainLimits).values().forEach(limits::addAll);
    List<QuotaUsage> usage = new ArrayList<>(limits.size());
    for (Limit limit : limits) {
      Slot slot = slots.get(limit);
      long available = store.holds(slot.key) ? bucket(slot).getAvailableTokens() : limit.count();
      usage.add(new QuotaUsage(limit.key(), limit.count(), available, limit.period()));
    }
    return List.copyOf(usage);
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    Outgoing outgoing = chain.outgoing();
    TenantQuota tenantQuota = tenantQuota(outgoing);
    Slot[] tenantLimits = tenantQuota == null ? NO_SLOTS : tenantQuota.slots;
    // a tenant's limits follow the fixed ones; without domain limits both lists are built once per tenant
    List<Limit> limits = tenantQuota != null && domainLimits.isEmpty() ? tenantQuota.limits
        : domainLimits.isEmpty() ? fixedLimits : new ArrayList<>(fixedLimits);
    List<QuotaStore.Charge> charges = tenantQuota != null && domainLimits.isEmpty()
        ? tenantQuota.charges(outgoing.recipients()) : charges(outgoing.recipients(), limits, tenantLimits);
    // a clock read costs 30 ns here: none without a wait to bound (the default)
    long deadline = maxWaitNanos == 0 ? 0 : nanoTime.getAsLong() + maxWaitNanos;
    List<InternetAddress> lookUp = outgoing.recipients();
    while (true) {
      SuppressionStore.Verdict verdict = admission.charge(lookUp, charges);
      if (!verdict.found().isEmpty()) {
        // nothing was charged: the listed recipients are refused or dropped as the suppression link
        // does, and the rest (not listed a moment ago) is charged without a second look-up
        outgoing = SuppressionPolicy.refuseListed(outgoing, onInvalid, verdict.found());
        limits = tenantQuota != null && domainLimits.isEmpty() ? tenantQuota.limits
            : domainLimits.isEmpty() ? fixedLimits : new ArrayList<>(fixedLimits);
        charges = tenantQuota != null && domainLimits.isEmpty()
            ? tenantQuota.charges(outgoing.recipients()) : charges(outgoing.recipients(), limits, tenantLimits);
        lookUp = List.of();
        continue;
      }
      QuotaStore.Shortfall shortfall = verdict.shortfall();
      if (shortfall == null) {
        return chain.proceed(outgoing);
      }
      Limit limit = limits.get(shortfall.charge());
      long waitNanos = Math.max(1, shortfall.nanosToWait());
      if (maxWaitNanos == 0 || nanoTime.getAsLong() + waitNanos > deadline) {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
        QuotaExceededException refusal = new QuotaExceededException(app, limit.key(), Duration.ofMillis(millis),
            outgoing.recipientArray());
        if (reportOnly) {
          forceCharge(charges);
          return chain.proceed(outgoing.reporting(org.mailwarden.WouldBeRefusal.of(refusal)));
        }
        throw refusal;
      }
      try {
        sleeper.sleep(waitNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SendRefusedException(RefusalReason.QUOTA_EXCEEDED,
            "interrupted while waiting for quota " + limit.key() + "; nothing was sent",
            outgoing.recipientArray());
      }
    }
  }

  /** The limits of the message's tenant; null without a tenant or tenant limits. */
  private TenantQuota tenantQuota(Outgoing outgoing) {
    String tenant = outgoing.tenant();
    return tenant == null || !hasTenantLimits ? null : tenantSlots.get(tenant);
  }

  /**
   * One tenant's limits and slots, with, for sends without domain limits, the charges of a send with
   * i recipients, built at the first such send (immutable: a racy first build is harmless).
   */
  private final class TenantQuota {
    final Slot[] slots;
    /** Message and recipient limits, then the tenant's: a shortfall's index names its limit. */
    final List<Limit> limits;
    private final List<QuotaStore.Charge>[] byCount;

    @SuppressWarnings("unchecked") // an array of a generic type cannot be created otherwise
    TenantQuota(Slot[] slots) {
      this.slots = slots;
      List<Limit> all = new ArrayList<>(fixedLimits);
      for (Slot slot : slots) {
        all.add(slot.limit);
      }
      this.limits = List.copyOf(all);
      this.byCount = (List<QuotaStore.Charge>[]) new List<?>[domainLimits.isEmpty() ? 65 : 0];
    }

    /** The charges of a send without domain limits, in the order of {@link #limits}. */
    List<QuotaStore.Charge> charges(List<InternetAddress> recipients) {
      int count = recipients.size();
      if (count < byCount.length && byCount[count] != null) {
        return byCount[count];
      }
      List<QuotaStore.Charge> charges = List.copyOf(QuotaPolicy.this.charges(recipients, new ArrayList<>(fixedLimits),
          slots));
      if (count < byCount.length) {
        byCount[count] = charges;
      }
      return charges;
    }
  }

  private static final Slot[] NO_SLOTS = new Slot[0];

  /**
   * Report-only: charges every bucket of a send that a quota would have refused, into debt where
   * needed, so the buckets count what was sent (one bucket at a time: the figures matter here, not
   * all-or-nothing).
   */
  private void forceCharge(List<QuotaStore.Charge> charges) {
    for (QuotaStore.Charge charge : charges) {
      store.bucket(charge.key(), charge.configuration()).consumeIgnoringRateLimits(charge.tokens());
      store.inDebt(charge.key());
    }
  }

  /**
   * The charges of a send, in the order message limits, recipient limits, domain limits, tenant
   * limits; a domain or tenant limit charged is appended to {@code limits} (which then holds message
   * and recipient limits).
   */
  private List<QuotaStore.Charge> charges(List<InternetAddress> recipients, List<Limit> limits,
      Slot[] tenantLimits) {
    if (tenantLimits.length == 0) {
      return charges(recipients, limits);
    }
    List<QuotaStore.Charge> charges = new ArrayList<>(charges(recipients, limits));
    for (Slot slot : tenantLimits) {
      long tokens = slot.limit.key().contains(".messages-per-") ? 1 : recipients.size();
      charges.add(new QuotaStore.Charge(slot.key, slot.configuration, slot.limit.count(), tokens));
      limits.add(slot.limit);
    }
    return charges;
  }

  private List<QuotaStore.Charge> charges(List<InternetAddress> recipients, List<Limit> limits) {
    int count = recipients.size();
    if (count < chargesByCount.length) {
      List<QuotaStore.Charge> charges = chargesByCount[count];
      if (charges == null) {
        charges = List.copyOf(chargesFor(recipients, limits));
        chargesByCount[count] = charges;
      }
      return charges;
    }
    return chargesFor(recipients, limits);
  }

  private List<QuotaStore.Charge> chargesFor(List<InternetAddress> recipients, List<Limit> limits) {
    List<QuotaStore.Charge> charges = new ArrayList<>(messageCharges.size() + recipientSlots.length);
    charges.addAll(messageCharges);
    for (Slot slot : recipientSlots) {
      charges.add(new QuotaStore.Charge(slot.key, slot.configuration, slot.limit.count(), recipients.size()));
    }
    if (!domainLimits.isEmpty()) {
      Map<String, Integer> perDomain = new HashMap<>();
      for (InternetAddress recipient : recipients) {
        String address = recipient.getAddress();
        String domain = DomainRules.normalize(address.substring(address.lastIndexOf('@') + 1));
        if (domainLimits.containsKey(domain)) {
          perDomain.merge(domain, 1, Integer::sum);
        }
      }
      perDomain.forEach((domain, count) -> {
        for (Limit limit : domainLimits.get(domain)) {
          Slot slot = slots.get(limit);
          charges.add(new QuotaStore.Charge(slot.key, slot.configuration, limit.count(), count));
          limits.add(limit);
        }
      });
    }
    return charges;
  }

  private Bucket bucket(Slot slot) {
    return store.bucket(slot.key, slot.configuration);
  }

  /** A configured limit, its bucket key and its bucket configuration, built once. */
  private record Slot(Limit limit, String key, Supplier<BucketConfiguration> configuration) {}

}
