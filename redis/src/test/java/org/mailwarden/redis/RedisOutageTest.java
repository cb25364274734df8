package org.mailwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.internal.Engine;
import org.mailwarden.spi.StoreStatus;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/** Redis stopped in the middle of a run, and started again, while this JVM keeps running. */
class RedisOutageTest {
  /** Generous: the configured timeout is 300 ms, and a disconnected client refuses at once. */
  private static final long BOUND_MILLIS = 3_000;

  private RedisServer redis;
  private SmtpSink sink;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.launch();
    sink = SmtpSink.start();
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
    redis.close();
  }

  private Session session(String... keys) {
    Properties p = Mails.properties(sink.port());
    p.put("mail.mailwarden.store", "redis");
    p.put("mail.mailwarden.redis.uri", redis.uri());
    p.put("mail.mailwarden.redis.timeout", "300ms");
    p.put("mail.mailwarden.limit.messages-per-minute", "5");
    for (int i = 0; i < keys.length; i += 2) {
      p.put("mail.mailwarden." + keys[i], keys[i + 1]);
    }
    return Session.getInstance(p);
  }

  @Test
  void sendsAreRefusedAsStoreUnavailableWhileRedisIsDownAndSucceedAgainAfterItRestarts() throws Exception {
    Session session = session();
    Transport.send(Mails.message(session, "before@example.com"));

    redis.stop();
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> Transport.send(Mails.message(session, "during@example.com")))
          .isInstanceOfSatisfying(SendRefusedException.class,
              e -> assertThat(e.getReason()).isEqualTo(RefusalReason.STORE_UNAVAILABLE));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(BOUND_MILLIS));
    }
    assertThat(Engine.of(session).storeStatus().reachable()).isFalse();

    redis.restart();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(SendRefusedException.class)
        .untilAsserted(() -> Transport.send(Mails.message(session, "after@example.com")));
    assertThat(sink.messages()).hasSize(2);
    assertThat(Engine.of(session).storeStatus()).satisfies(s -> {
      assertThat(s.reachable()).isTrue();
      assertThat(s.detail()).isEqualTo("ok");
    });
  }

  @Test
  void withOnFailureLocalSendsFallBackToTheLimitsOfThisJvmWhileRedisIsDown() throws Exception {
    Session session = session("store.on-failure", "local");
    Transport.send(Mails.message(session, "before@example.com"));

    redis.stop();
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      Transport.send(Mails.message(session, "during" + i + "@example.com"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(BOUND_MILLIS));
    }
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "sixth@example.com")))
        .as("the local limit of 5 per minute still holds")
        .isInstanceOf(QuotaExceededException.class);

    redis.restart();
    // the local bucket is empty; once Redis answers again, its bucket (one of five tokens used) decides
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> Engine.of(session).storeStatus().reachable());
    Transport.send(Mails.message(session, "after@example.com"));
    assertThat(sink.messages()).hasSize(7);
  }

  @Test
  void anApplicationStartedWhileRedisIsDownSendsOnceRedisIsUp() throws Exception {
    redis.stop();
    Session session = session();
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "early@example.com")))
        .isInstanceOfSatisfying(SendRefusedException.class,
            e -> assertThat(e.getReason().code()).isEqualTo("store-unavailable"));

    redis.restart();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(150))
        .ignoreExceptionsInstanceOf(SendRefusedException.class).untilAsserted(
        () -> Transport.send(Mails.message(session, "later@example.com")));
    assertThat(sink.messages()).hasSize(1);
  }

  @Test
  void theHealthCheckAnswersWithinTheTimeout() {
    StoreStatus status = Engine.of(session()).storeStatus();
    assertThat(status.reachable()).isTrue();
    assertThat(status.store()).isEqualTo("redis at 127.0.0.1:" + redis.port() + "/0");
  }
}
