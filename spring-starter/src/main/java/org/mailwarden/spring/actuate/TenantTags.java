package org.mailwarden.spring.actuate;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value of the {@code tenant} tag of Mailwarden's meters, with a bounded number of values: a
 * tenant named in the allow-list ({@code mailwarden.tenant.metrics.tags}) is tagged by its name, or,
 * without a list, each of the first {@code mailwarden.tenant.metrics.max-tags} tenants seen; every
 * other tenant is tagged {@code other}, and a message without a tenant {@code none}. Thread-safe.
 */
public final class TenantTags {

  /** The tag value of a message without a tenant. */
  public static final String NONE = "none";

  /** The tag value of a tenant that does not get its own. */
  public static final String OTHER = "other";

  /** The default of {@code mailwarden.tenant.metrics.max-tags}. */
  public static final int DEFAULT_MAX_TAGS = 20;

  private final Set<String> allowed;

  private final int maxTags;

  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  /**
   * Creates the policy.
   * @param allowed the tenants tagged by name; empty to tag the first {@code maxTags} seen
   * @param maxTags how many tenants get their own value without an allow-list, at least 0
   */
  public TenantTags(List<String> allowed, int maxTags) {
    if (maxTags < 0) {
      throw new IllegalArgumentException("maxTags must not be negative: " + maxTags);
    }
    this.allowed = Set.copyOf(allowed);
    this.maxTags = maxTags;
  }

  /**
   * Returns the tag value of a report's tenant.
   * @param tenant the tenant, if any
   * @return the tenant's name, {@link #OTHER} or {@link #NONE}
   */
  public String of(Optional<String> tenant) {
    if (tenant.isEmpty()) {
      return NONE;
    }
    String name = tenant.get();
    if (!this.allowed.isEmpty()) {
      return this.allowed.contains(name) ? name : OTHER;
    }
    if (this.seen.contains(name)) {
      return name;
    }
    synchronized (this.seen) {
      if (this.seen.size() < this.maxTags) {
        this.seen.add(name);
        return name;
      }
    }
    return OTHER;
  }

}
