package org.mailwarden.internal.suppression;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.spi.StoreContext;
import org.mailwarden.spi.SuppressionStore;
import org.mailwarden.spi.SuppressionStoreContract;

/** The suppression journal ({@code suppression.store=file}) keeps the contract of every store. */
class FileSuppressionStoreContractTest extends SuppressionStoreContract {
  @TempDir
  Path dir;

  @Override
  protected SuppressionStore open(StoreContext context) {
    return new FileSuppressionStore(dir.resolve("contract.suppressions"), context.clock(),
        FileSuppressionStore.DEFAULT_COMPACT_MIN);
  }
}
