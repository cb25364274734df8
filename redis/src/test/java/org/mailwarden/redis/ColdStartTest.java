package org.mailwarden.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mailwarden.testing.SmtpSink;

/**
 * Three JVMs start at once, cold, against a fresh redis-server and share one quota of 100 messages a
 * minute, 60 sends each with no warm-up: the store is ready before the first send (connected, script
 * loaded, bounded by {@code redis.connect-timeout}), so the only refusals are the quota's, and the
 * server gets at least the 100 and no more than the bucket refills while the sends run.
 */
class ColdStartTest {
  private static final int PER_JVM = 60;

  @Test
  void threeColdJvmsOnAFreshRedisAreRefusedOnlyByTheQuota() throws Exception {
    String app = "cold-" + UUID.randomUUID().toString().substring(0, 8);
    try (RedisServer redis = RedisServer.launch(); SmtpSink sink = SmtpSink.start()) {
      List<Jvm> jvms = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        jvms.add(Jvm.start(ColdStartWorker.class, redis.uri(), Integer.toString(sink.port()), app, "100",
            Integer.toString(PER_JVM)));
      }
      List<String> results = new ArrayList<>();
      long first = Long.MAX_VALUE;
      long last = 0;
      for (Jvm jvm : jvms) {
        results.addAll(jvm.results());
        first = Math.min(first, jvm.window()[0]);
        last = Math.max(last, jvm.window()[1]);
      }

      assertThat(results).hasSize(3 * PER_JVM);
      assertThat(results).as("refusals other than the quota's")
          .filteredOn(r -> !r.equals("sent") && !r.startsWith("quota ")).isEmpty();
      long sent = results.stream().filter("sent"::equals).count();
      // 100 per minute: 100 at once, then one token every 600 ms while the sends run
      long refills = (last - first) / 600;
      System.out.printf("three cold JVMs: %d sent, %d refused, sends over %d ms%n", sent,
          results.size() - sent, last - first);
      assertThat(sent).as("admitted while the sends ran for %d ms", last - first)
          .isBetween(100L, 100L + refills);
      assertThat(sink.messages()).hasSize((int) sent);
    }
  }
}
