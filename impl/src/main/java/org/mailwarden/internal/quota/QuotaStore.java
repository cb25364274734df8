package org.mailwarden.internal.quota;

import io.github.bucket4j.distributed.proxy.ProxyManager;

/**
 * Where quota buckets live: in this JVM ({@link LocalQuotaStore}) or, later, in a shared store. The
 * store hands out Bucket4j buckets by key; the quota logic is the same for every store.
 */
public interface QuotaStore {
  /** Returns the proxy manager that holds the buckets. */
  ProxyManager<String> buckets();
}
