package org.mailwarden.internal.quota;

import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.QuotaStoreContract;
import org.mailwarden.spi.StoreContext;

/** The quota store held in the JVM keeps the contract of every quota store. */
class LocalQuotaStoreContractTest extends QuotaStoreContract {
  @Override
  protected QuotaStore store(StoreContext context) {
    return new LocalQuotaStore(time);
  }
}
