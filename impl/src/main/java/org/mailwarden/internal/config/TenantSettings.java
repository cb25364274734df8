package org.mailwarden.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code tenant.*} keys, parsed: the quotas every tenant gets ({@code tenant.limit.*}), one
 * tenant's own ({@code tenant.limit.<tenant>.*}, each replacing the common limit of the same name),
 * and the sending domains of tenants ({@code tenant.<tenant>.senders.allow-domains}). Immutable.
 *
 * @param common the limits every tenant gets, named {@code tenant.limit.<what>-per-<unit>}, those
 *     that are on only
 * @param overrides per tenant, its limits by the name of the common limit they replace (a count of
 *     0 turns that limit off for the tenant)
 * @param senderDomains per tenant, its sending domains
 */
public record TenantSettings(List<Limit> common, Map<String, Map<String, Limit>> overrides,
    Map<String, DomainRules> senderDomains) {
  /** No tenant key set. */
  public static final TenantSettings NONE = new TenantSettings(List.of(), Map.of(), Map.of());

  /** The value of one {@code tenant.<tenant>.senders.allow-domains} key. */
  public record SenderDomains(String tenant, DomainRules rules) {}

  public TenantSettings {
    common = List.copyOf(common);
    overrides = Map.copyOf(overrides);
    senderDomains = Map.copyOf(senderDomains);
  }

  /** Returns whether any tenant limit is on. */
  public boolean hasLimits() {
    return !common.isEmpty() || overrides.values().stream().anyMatch(m -> m.values().stream()
        .anyMatch(l -> l.count() > 0));
  }

  /**
   * Returns the limits of one tenant, message limits first, each renamed
   * {@code tenant.limit.<tenant>.<what>-per-<unit>} so that a refusal names the tenant; those that
   * are on only.
   */
  public List<Limit> limitsOf(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    Map<String, Limit> own = overrides.getOrDefault(tenant, Map.of());
    Map<String, Limit> merged = new LinkedHashMap<>();
    for (Limit l : common) {
      merged.put(l.key(), l);
    }
    merged.putAll(own);
    List<Limit> out = new ArrayList<>(merged.size());
    for (Map.Entry<String, Limit> e : merged.entrySet()) {
      Limit l = e.getValue();
      if (l.count() > 0) {
        String unit = e.getKey().substring("tenant.limit.".length());
        out.add(new Limit("tenant.limit." + tenant + "." + unit, l.count(), l.period()));
      }
    }
    out.sort((a, b) -> Boolean.compare(!a.key().contains(".messages-"), !b.key().contains(".messages-")));
    return List.copyOf(out);
  }

  /** Returns the sending domains of a tenant, empty (any domain) when none are set. */
  public DomainRules senderDomainsOf(String tenant) {
    return senderDomains.getOrDefault(tenant, DomainRules.empty());
  }
}
