package org.mailwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.lettuce.core.RedisClient;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.event.command.CommandSucceededEvent;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.GuardedTransport;
import org.mailwarden.Mailwarden;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.QuotaUsage;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.internal.Environment;
import org.mailwarden.testing.FakeTime;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/**
 * What a send decision asks Redis: every command Mailwarden's client sends is recorded (a Lettuce
 * {@link CommandListener} on the client handed over as {@code redis.client}), so the test sees the
 * round trips themselves. One command is one round trip here: nothing is pipelined.
 */
class RoundTripTest {
  private RedisServer redis;
  private SmtpSink sink;
  private RedisClient client;
  private final List<String> commands = new CopyOnWriteArrayList<>();
  /** The quotas run on a fake clock: no bucket refills while a slow machine runs the test. */
  private final FakeTime time = new FakeTime(Instant.now());
  private final Environment environment = Environment.create(time, time);

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.launch();
    sink = SmtpSink.start();
    client = RedisClient.create(redis.uri());
    client.addListener(new CommandListener() {
      @Override
      public void commandStarted(CommandStartedEvent event) {
        commands.add(event.getCommand().getType().toString());
      }

      @Override
      public void commandSucceeded(CommandSucceededEvent event) {}

      @Override
      public void commandFailed(CommandFailedEvent event) {}
    });
  }

  @AfterEach
  void stop() throws Exception {
    environment.close();
    client.shutdown();
    sink.close();
    redis.close();
  }

  /** Three quota buckets (messages per minute, recipients per second and per day) and the list. */
  private Session session(String... keys) {
    Properties p = Mails.properties(sink.port());
    p.put("mail.mailwarden.store", "redis");
    p.put("mail.mailwarden.redis.client", client);
    p.put(Environment.KEY, environment);
    p.put("mail.mailwarden.limit.messages-per-minute", "100");
    p.put("mail.mailwarden.limit.recipients-per-second", "1000");
    for (int i = 0; i < keys.length; i += 2) {
      p.put("mail.mailwarden." + keys[i], keys[i + 1]);
    }
    return Session.getInstance(p);
  }

  /** Sends, and returns the commands the send asked Redis. */
  private List<String> send(Session session, String... to) throws Exception {
    commands.clear();
    Transport.send(Mails.message(session, to));
    return List.copyOf(commands);
  }

  /**
   * Another process (here: a second client, so a second quota store with its own memory of the
   * buckets) charges in between: the next charge finds its remembered state stale, Redis returns the
   * current one, and the charge is computed again from it: two round trips, and the quota stays exact.
   */
  @Test
  void aChargeFromAnotherProcessCostsOneMoreRoundTripAndTheQuotaStaysExact() throws Exception {
    RedisClient other = RedisClient.create(redis.uri());
    List<String> otherCommands = new CopyOnWriteArrayList<>();
    other.addListener(new CommandListener() {
      @Override
      public void commandStarted(CommandStartedEvent event) {
        otherCommands.add(event.getCommand().getType().toString());
      }
    });
    try {
      Session first = session("limit.messages-per-minute", "3");
      Properties p = new Properties();
      p.putAll(first.getProperties());
      p.put("mail.mailwarden.redis.client", other);
      Session second = Session.getInstance(p);

      // the store loads the script when it connects (the engine is built by the first send here),
      // so even on a new server a charge is one EVALSHA
      assertThat(send(first, "one@example.com")).containsExactly("SCRIPT", "EVALSHA");
      otherCommands.clear();
      Transport.send(Mails.message(second, "two@example.com"));
      assertThat(otherCommands).containsExactly("SCRIPT", "EVALSHA", "EVALSHA"); // loaded; stale, then charged
      assertThat(send(first, "three@example.com")).containsExactly("EVALSHA", "EVALSHA");
      otherCommands.clear();
      assertThatThrownBy(() -> Transport.send(Mails.message(second, "four@example.com")))
          .isInstanceOf(QuotaExceededException.class);
      assertThat(otherCommands).containsExactly("EVALSHA", "EVALSHA"); // stale, then checked: refused
      assertThat(sink.messages()).hasSize(3);
    } finally {
      other.shutdown();
    }
  }

  private List<String> refused(Session session, Class<? extends Exception> type, String... to) {
    commands.clear();
    assertThatThrownBy(() -> Transport.send(Mails.message(session, to))).isInstanceOf(type);
    return List.copyOf(commands);
  }

  @Test
  void aSendToThreeRecipientsChargesThreeBucketsAndChecksTheListInOneRoundTrip() throws Exception {
    Session session = session();
    send(session, "warm@example.com"); // connects, and loads the script into Redis

    for (int i = 0; i < 5; i++) {
      assertThat(send(session, "a" + i + "@example.com", "b" + i + "@example.org", "c" + i + "@example.net"))
          .containsExactly("EVALSHA");
    }
    assertThat(sink.messages()).hasSize(6);
    assertThat(usage(session)).extracting(QuotaUsage::limit, QuotaUsage::available).contains(
        tuple("limit.messages-per-minute", 94L), tuple("limit.recipients-per-day", 50_000L - 16));
  }

  @Test
  void aListedRecipientRefusesTheMessageInTheSameRoundTripAndUsesNoQuota() throws Exception {
    Session session = session();
    send(session, "warm@example.com");
    Mailwarden.suppressions(session).suppress("gone@example.org", "550 5.1.1 user unknown", "test");
    List<QuotaUsage> before = usage(session);

    commands.clear();
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "ok@example.com", "Gone@example.org")))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.getRejections()).singleElement().satisfies(r -> {
            assertThat(r.address().getAddress()).isEqualTo("Gone@example.org");
            assertThat(r.reason()).isEqualTo(RecipientReason.SUPPRESSED);
          });
        });
    assertThat(commands).containsExactly("EVALSHA");
    assertThat(usage(session)).isEqualTo(before);
    assertThat(sink.messages()).hasSize(1);
  }

  @Test
  void withDropRecipientTheOthersAreChargedInASecondRoundTripAndSent() throws Exception {
    Session session = session("recipients.on-invalid", "drop-recipient");
    send(session, "warm@example.com");
    Mailwarden.suppressions(session).suppress("gone@example.org", "550 5.1.1 user unknown", "test");

    commands.clear();
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "ok@example.com", "gone@example.org")))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.isPartiallySent()).isTrue();
          assertThat(e.getValidSentAddresses()).extracting(Object::toString).containsExactly("ok@example.com");
        });
    assertThat(commands).containsExactly("EVALSHA", "EVALSHA");
    assertThat(sink.messages()).hasSize(2);
    assertThat(sink.messages().get(1).rcptArgs()).singleElement().asString().contains("ok@example.com");
  }

  @Test
  void aSendOverTheQuotaIsRefusedInOneRoundTrip() throws Exception {
    Session session = session("limit.messages-per-minute", "2");
    send(session, "one@example.com");
    send(session, "two@example.com");

    assertThat(refused(session, QuotaExceededException.class, "three@example.com")).containsExactly("EVALSHA");
    assertThat(sink.messages()).hasSize(2);
  }

  @Test
  void withoutLimitsTheRecipientsAreLookedUpWithOneCommand() throws Exception {
    Session session = session("limit.messages-per-minute", "0", "limit.recipients-per-second", "0",
        "limit.recipients-per-day", "0");
    send(session, "warm@example.com");

    assertThat(send(session, "a@example.com", "b@example.org", "c@example.net")).containsExactly("MGET");
    assertThat(send(session, "d@example.com")).containsExactly("GET");
  }

  private static List<QuotaUsage> usage(Session session) throws Exception {
    try (Transport t = session.getTransport()) {
      return ((GuardedTransport) t).quotaUsage();
    }
  }
}
