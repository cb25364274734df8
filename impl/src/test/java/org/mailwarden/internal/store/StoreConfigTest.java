package org.mailwarden.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.internal.Environment;
import org.mailwarden.internal.config.MailwardenConfig;
import org.mailwarden.spi.StoreSettings;
import org.mailwarden.internal.config.SuppressionSettings;

/** The store and redis.* keys, and a store whose artifact is not on the class path. */
class StoreConfigTest {
  private static MailwardenConfig config(String... keys) {
    Properties p = new Properties();
    for (int i = 0; i < keys.length; i += 2) {
      p.put("mail.mailwarden." + keys[i], keys[i + 1]);
    }
    return MailwardenConfig.from(p);
  }

  @Test
  void theDefaultStoreIsLocalAndTheSuppressionListInMemory() {
    MailwardenConfig c = config();
    assertThat(c.store()).isEqualTo(MailwardenConfig.LOCAL_STORE);
    assertThat(c.suppression().store()).isEqualTo(SuppressionSettings.Store.MEMORY);
    assertThat(Environment.system().stores().status(c).reachable()).isTrue();
  }

  @Test
  void storeRedisMovesTheSuppressionListToTheSharedStoreUnlessItIsSetExplicitly() {
    MailwardenConfig c = config("store", "redis", "redis.uri", "redis://127.0.0.1:6379/0",
        "redis.key-prefix", "orders:", "redis.timeout", "250ms", "store.on-failure", "local");
    assertThat(c.store()).isEqualTo(new StoreSettings("redis", "redis://127.0.0.1:6379/0", null, "orders:",
        Duration.ofMillis(250), StoreSettings.OnFailure.LOCAL));
    assertThat(c.suppression().store()).isEqualTo(SuppressionSettings.Store.SHARED);
    assertThat(config("store", "redis", "redis.uri", "redis://h", "suppression.store", "none")
        .suppression().store()).isEqualTo(SuppressionSettings.Store.NONE);
  }

  @Test
  void storeRedisWithoutAUriIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> config("store", "redis"))
        .isInstanceOf(MailwardenConfigurationException.class)
        .hasMessageContaining("mail.mailwarden.redis.uri");
  }

  @Test
  void malformedStoreValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> config("store", "memcached")).hasMessageContaining("mail.mailwarden.store");
    assertThatThrownBy(() -> config("store", "redis", "redis.uri", "http://h:6379"))
        .hasMessageContaining("mail.mailwarden.redis.uri");
    assertThatThrownBy(() -> config("redis.timeout", "0")).hasMessageContaining("mail.mailwarden.redis.timeout");
    assertThatThrownBy(() -> config("redis.key-prefix", "a b")).hasMessageContaining("mail.mailwarden.redis.key-prefix");
    assertThatThrownBy(() -> config("store.on-failure", "open")).hasMessageContaining("mail.mailwarden.store.on-failure");
  }

  @Test
  void storeRedisWithoutTheRedisArtifactFailsNamingTheArtifact() {
    MailwardenConfig c = config("store", "redis", "redis.uri", "redis://127.0.0.1:6379/0");
    assertThatThrownBy(() -> Environment.system().stores().quotaStore(c))
        .isInstanceOfSatisfying(MailwardenConfigurationException.class,
            e -> assertThat(e.getMessage()).contains("mail.mailwarden.store", "org.mailwarden:mailwarden-redis"));
  }
}
