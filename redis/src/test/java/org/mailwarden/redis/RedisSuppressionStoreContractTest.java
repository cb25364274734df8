package org.mailwarden.redis;

import java.util.UUID;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.mailwarden.internal.redis.RedisStoreProvider;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.StoreContext;
import org.mailwarden.spi.StoreSettings;
import org.mailwarden.spi.SuppressionStore;
import org.mailwarden.spi.SuppressionStoreContract;

/**
 * The suppression list in Redis keeps the contract of every suppression store, against a real
 * redis-server; its look-up with a charge goes to the Redis quota store of the same settings, so
 * both are answered by one script.
 */
class RedisSuppressionStoreContractTest extends SuppressionStoreContract {
  private static RedisServer redis;
  private static RedisClient client;
  private RedisStoreProvider provider;
  private StoreSettings settings;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.launch();
    client = RedisClient.create(redis.uri());
  }

  @AfterAll
  static void stopRedis() throws Exception {
    client.shutdown();
    redis.close();
  }

  @Override
  protected SuppressionStore open(StoreContext context) {
    provider = new RedisStoreProvider(); // a provider per test: its stores run on this test's clock
    // a key prefix of its own per test: every test starts from an empty list
    settings = new StoreSettings("redis", null, client, "contract-" + UUID.randomUUID() + ":",
        Duration.ofSeconds(5), StoreSettings.OnFailure.REFUSE);
    return provider.suppressionStore(settings, "app", context);
  }

  @Override
  protected QuotaStore quotaStore(StoreContext context) {
    QuotaStore quota = provider.quotaStore(settings, context);
    if (!provider.suppressionStore(settings, "app", context).chargesWith(quota)) {
      throw new AssertionError("the Redis list must answer together with the Redis quota of its settings");
    }
    return quota;
  }

  @AfterEach
  void closeProvider() {
    provider.close(); // closes its connection; the client stays for the next test
  }
}
