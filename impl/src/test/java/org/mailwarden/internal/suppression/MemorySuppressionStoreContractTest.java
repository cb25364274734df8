package org.mailwarden.internal.suppression;

import org.mailwarden.spi.StoreContext;
import org.mailwarden.spi.SuppressionStore;
import org.mailwarden.spi.SuppressionStoreContract;

/** The suppression list in memory ({@code suppression.store=memory}) keeps the contract of every store. */
class MemorySuppressionStoreContractTest extends SuppressionStoreContract {
  @Override
  protected SuppressionStore open(StoreContext context) {
    return new MemorySuppressionStore(context.clock());
  }
}
