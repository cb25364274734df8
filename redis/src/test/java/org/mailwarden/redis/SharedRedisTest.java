package org.mailwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/** Several JVM processes sharing quotas and a suppression list through one real redis-server. */
class SharedRedisTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.launch();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void threeProcessesOfFourThreadsShareOneMessageQuotaExactly() throws Exception {
    String app = "shared-" + UUID.randomUUID().toString().substring(0, 8);
    int perThread = 10; // 3 JVMs x 4 threads x 10 = 120 attempts against a quota of 100
    java.nio.file.Path go = java.nio.file.Files.createTempDirectory("go").resolve("go");
    try (SmtpSink sink = SmtpSink.start()) {
      List<Jvm> jvms = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        jvms.add(Jvm.start(QuotaWorker.class, redis.uri(), Integer.toString(sink.port()), app, "100", "4",
            Integer.toString(perThread), go.toString()));
      }
      for (Jvm jvm : jvms) {
        jvm.awaitLine("READY");
      }
      java.nio.file.Files.createFile(go);
      List<String> results = new ArrayList<>();
      long first = Long.MAX_VALUE;
      long last = 0;
      for (Jvm jvm : jvms) {
        results.addAll(jvm.results());
        first = Math.min(first, jvm.window()[0]);
        last = Math.max(last, jvm.window()[1]);
      }

      assertThat(results).hasSize(3 * 4 * perThread);
      long sent = results.stream().filter(r -> r.equals("sent")).count();
      // Bucket4j refills greedily: 100 per minute is 100 at once, then one more every 600 ms. The
      // burst is timed (each worker warms up and connects first), and when it lasts under 600 ms,
      // as it does on a quiet machine (400-590 ms measured), exactly 100 are admitted; on a busy
      // machine a token refilled during the burst may be admitted too, never more.
      long refills = (last - first) / 600;
      System.out.printf("three JVMs: %d sent, %d refused, send window %d ms%n", sent,
          results.size() - sent, last - first);
      assertThat(sent).as("admitted in a window of %d ms", last - first).isBetween(100L, 100L + refills);
      List<String> refused = results.stream().filter(r -> !r.equals("sent")).toList();
      assertThat(refused).hasSize(3 * 4 * perThread - (int) sent).allSatisfy(r -> {
        assertThat(r).startsWith("quota ");
        assertThat(Long.parseLong(r.substring(6))).as("retry-after in ms").isPositive().isLessThanOrEqualTo(60_000);
      });
      assertThat(sink.messages()).filteredOn(m -> !m.rcptArgs().toString().contains("warm-up")).hasSize((int) sent);
    }
  }

  @Test
  void twoTenantsWithTenPerMinuteEachGetTheirTenFromTwoProcesses() throws Exception {
    List<String> results = tenantBurst("1000");

    // one token refills every 6 s per tenant: a burst of a few seconds admits its 10, at most one more
    for (String tenant : List.of("acme", "globex")) {
      long sent = results.stream().filter(r -> r.equals("sent " + tenant)).count();
      assertThat(sent).as("sent for " + tenant).isBetween(10L, 11L);
      assertThat(results).filteredOn(r -> r.startsWith("quota ") && r.endsWith(" " + tenant))
          .hasSize(40 - (int) sent)
          .allSatisfy(r -> assertThat(r).isEqualTo("quota tenant.limit." + tenant + ".messages-per-minute " + tenant));
    }
  }

  @Test
  void theApplicationWideLimitCapsTheTenantsSumFromTwoProcesses() throws Exception {
    List<String> results = tenantBurst("15");

    long sent = results.stream().filter(r -> r.startsWith("sent ")).count();
    // 15 per minute refills one every 4 s
    assertThat(sent).isBetween(15L, 16L);
    assertThat(results).filteredOn(r -> r.startsWith("sent ")).extracting(r -> r.substring(5))
        .allSatisfy(t -> assertThat(t).isIn("acme", "globex"));
    for (String tenant : List.of("acme", "globex")) {
      assertThat(results.stream().filter(r -> r.equals("sent " + tenant)).count()).isLessThanOrEqualTo(11);
    }
  }

  /**
   * Two JVMs of four threads send ten messages each per thread, half of the threads for tenant acme and
   * half for globex (40 attempts per tenant), with 10 per minute per tenant and the given application
   * limit; returns the result lines.
   */
  private static List<String> tenantBurst(String appLimit) throws Exception {
    String app = "tenants-" + UUID.randomUUID().toString().substring(0, 8);
    java.nio.file.Path go = java.nio.file.Files.createTempDirectory("go").resolve("go");
    try (SmtpSink sink = SmtpSink.start()) {
      List<Jvm> jvms = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        jvms.add(Jvm.start(QuotaWorker.class, redis.uri(), Integer.toString(sink.port()), app, appLimit, "4",
            "10", go.toString(), "10"));
      }
      for (Jvm jvm : jvms) {
        jvm.awaitLine("READY");
      }
      java.nio.file.Files.createFile(go);
      List<String> results = new ArrayList<>();
      for (Jvm jvm : jvms) {
        results.addAll(jvm.results());
      }
      assertThat(results).hasSize(80);
      assertThat(results).filteredOn(r -> !r.startsWith("sent ") && !r.startsWith("quota ")).isEmpty();
      long sent = results.stream().filter(r -> r.startsWith("sent ")).count();
      assertThat(sink.messages()).filteredOn(m -> !m.rcptArgs().toString().contains("warm-up")).hasSize((int) sent)
          .allSatisfy(m -> assertThat(m.content()).doesNotContainIgnoringCase("X-Mailwarden-Tenant"));
      return results;
    }
  }

  @Test
  void aRecipientSuppressedThroughOneProcessIsRefusedByAnother() throws Exception {
    String app = "suppress-" + UUID.randomUUID().toString().substring(0, 8);
    String gone = "gone@example.com";
    try (SmtpSink refusing = SmtpSink.start("-f", "RCPT", "-B", "550 5.1.1 no such user")) {
      List<String> learnt = Jvm.start(SuppressWorker.class, redis.uri(), Integer.toString(refusing.port()), app, gone)
          .results();
      assertThat(learnt).containsExactly("refused-by-server", "listed");
    }
    try (SmtpSink sink = SmtpSink.start()) {
      Properties p = Mails.properties(sink.port());
      p.put("mail.mailwarden.app", app);
      p.put("mail.mailwarden.store", "redis");
      p.put("mail.mailwarden.redis.uri", redis.uri());
      Session session = Session.getInstance(p);

      assertThatThrownBy(() -> Transport.send(Mails.message(session, "GONE@example.com")))
          .isInstanceOfSatisfying(RecipientRejectedException.class, e ->
              assertThat(e.getRejections()).singleElement()
                  .satisfies(r -> assertThat(r.reason()).isEqualTo(RecipientReason.SUPPRESSED)));
      Transport.send(Mails.message(session, "present@example.com"));
      assertThat(sink.messages()).hasSize(1);
    }
  }
}
