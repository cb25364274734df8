package org.mailwarden.redis;

import io.lettuce.core.RedisClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.mailwarden.internal.redis.RedisStoreProvider;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.QuotaStoreContract;
import org.mailwarden.spi.StoreContext;
import org.mailwarden.spi.StoreSettings;

/** The quota store in Redis keeps the contract of every quota store, against a real redis-server. */
class RedisQuotaStoreContractTest extends QuotaStoreContract {
  private static RedisServer redis;
  private static RedisClient client;
  private RedisStoreProvider provider;

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
  protected QuotaStore store(StoreContext context) {
    provider = new RedisStoreProvider(); // a provider per test: its stores run on this test's clock
    return provider.quotaStore(new StoreSettings("redis", null, client, "mailwarden:", Duration.ofSeconds(5),
        StoreSettings.OnFailure.REFUSE), context);
  }

  @AfterEach
  void closeProvider() {
    provider.close(); // closes its connection; the client stays for the next test
  }
}
