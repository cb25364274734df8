package org.mailwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
  /** What a send costs besides waiting for Redis, on a busy machine (the SMTP round trips are not in it). */
  private static final long SEND_MARGIN_MILLIS = 400;

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

  /**
   * Refuse mode against a Redis that freezes ({@code kill -STOP}), thaws, dies and comes back, in the
   * middle of a run: every send while it does not answer is refused within {@code redis.timeout}
   * (plus what the send itself costs), and sends succeed again within a second of Redis answering,
   * without a new session. The times are printed for docs/redis.md.
   */
  @Test
  void withOnFailureRefuseSendsAreRefusedWithinTheTimeoutAndRecoverWithinASecond() throws Exception {
    Session session = session("limit.messages-per-minute", "1000");
    Transport.send(Mails.message(session, "before@example.com"));

    redis.pause();
    long pausedRefusal = maxRefusalMillis(session, 3);
    redis.resume();
    long afterResume = millisUntilASendSucceeds(session);

    redis.stop();
    long stoppedRefusal = maxRefusalMillis(session, 3);
    redis.restart(); // returns once redis-server answers PING
    long afterRestart = millisUntilASendSucceeds(session);

    System.out.printf("redis.timeout=300ms: refused within %d ms while paused, %d ms while stopped; "
        + "sent again %d ms after CONT, %d ms after the restart answered%n", pausedRefusal, stoppedRefusal,
        afterResume, afterRestart);
    assertThat(pausedRefusal).isLessThan(300 + SEND_MARGIN_MILLIS);
    assertThat(stoppedRefusal).isLessThan(300 + SEND_MARGIN_MILLIS);
    assertThat(afterResume).isLessThan(1_000);
    assertThat(afterRestart).isLessThan(1_000);
  }

  /**
   * A burst of sends against a quota, with Redis frozen for a while in the middle: sends are refused
   * while it does not answer and admitted again after, and the quota is never exceeded: what was
   * sent is at most the quota plus what the bucket refilled during the run.
   */
  @Test
  void aPauseInTheMiddleOfABurstNeverOverAdmits() throws Exception {
    Session session = session("limit.messages-per-minute", "40", "limit.recipients-per-second", "0",
        "limit.recipients-per-day", "0"); // the one quota under test
    Transport.send(Mails.message(session, "warm@example.com"));
    long start = System.currentTimeMillis();
    int sent = 1;
    int refusedByQuota = 0;
    int unavailable = 0;
    for (int i = 0; i < 80; i++) {
      if (i == 20) {
        redis.pause();
      } else if (i == 25) {
        redis.resume();
      }
      try {
        Transport.send(Mails.message(session, "burst" + i + "@example.com"));
        sent++;
      } catch (QuotaExceededException e) {
        refusedByQuota++;
      } catch (SendRefusedException e) {
        assertThat(e.getReason()).isEqualTo(RefusalReason.STORE_UNAVAILABLE);
        unavailable++;
      }
    }
    long refills = (System.currentTimeMillis() - start) / 1_500; // 40 a minute: one token per 1.5 s

    assertThat(unavailable).as("refused while paused").isEqualTo(5);
    assertThat(refusedByQuota).isPositive();
    // a charge sent to the frozen Redis and refused may still run when it thaws: then one token is
    // used by a message that was not sent (never the other way round), hence 39
    assertThat(sent).as("admitted, against 40 plus %d refilled", refills).isBetween(39, 40 + (int) refills);
    assertThat(sink.messages()).hasSize(sent);
  }

  @Test
  void withOnFailureLocalSendsGoOnWithLocalQuotasWhileRedisIsPaused() throws Exception {
    Session session = session("store.on-failure", "local");
    Transport.send(Mails.message(session, "before@example.com"));

    redis.pause();
    long slowest = 0;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      Transport.send(Mails.message(session, "during" + i + "@example.com"));
      slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "sixth@example.com")))
        .as("the local limit of 5 per minute holds")
        .isInstanceOf(QuotaExceededException.class);
    redis.resume();
    System.out.printf("redis.timeout=300ms, on-failure=local: a send while paused took at most %d ms%n", slowest);
    assertThat(slowest).isLessThan(300 + SEND_MARGIN_MILLIS);
    assertThat(sink.messages()).hasSize(6);
  }

  private static long maxRefusalMillis(Session session, int sends) {
    long slowest = 0;
    for (int i = 0; i < sends; i++) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> Transport.send(Mails.message(session, "during@example.com")))
          .isInstanceOfSatisfying(SendRefusedException.class,
              e -> assertThat(e.getReason()).isEqualTo(RefusalReason.STORE_UNAVAILABLE));
      slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
    return slowest;
  }

  /** Sends every 10 ms until one succeeds (at most 10 s), and returns how long that took. */
  private static long millisUntilASendSucceeds(Session session) throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        Transport.send(Mails.message(session, "after@example.com"));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      } catch (SendRefusedException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }

  @Test
  void theHealthCheckAnswersWithinTheTimeout() {
    StoreStatus status = Engine.of(session()).storeStatus();
    assertThat(status.reachable()).isTrue();
    assertThat(status.store()).isEqualTo("redis at 127.0.0.1:" + redis.port() + "/0");
  }
}
