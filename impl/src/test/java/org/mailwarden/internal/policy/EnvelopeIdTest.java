package org.mailwarden.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** ENVIDs: the key stream they are drawn from, across re-keying and threads. */
class EnvelopeIdTest {
  /** More than one key's worth per thread: 64 refills of 64 ENVIDs each, then a new key. */
  private static final int PER_THREAD = 10_000;

  @Test
  void envelopeIdsAreDistinctXtextSafeHexAcrossKeysAndThreads() throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < PER_THREAD; i++) {
            String id = DsnPolicy.newEnvelopeId();
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(seen.add(id)).as("ENVID %s drawn twice", id).isTrue();
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).hasSize(4 * PER_THREAD);
  }

  @Test
  void envelopeIdBitsAreBalanced() {
    // a broken key stream (zeros, a repeated block, a counter) shows as a skewed count of one bits
    long ones = 0;
    int ids = 20_000;
    Set<String> blocks = new HashSet<>();
    for (int i = 0; i < ids; i++) {
      String id = DsnPolicy.newEnvelopeId();
      blocks.add(id.substring(0, 8));
      ones += Long.bitCount(Long.parseUnsignedLong(id.substring(0, 16), 16))
          + Long.bitCount(Long.parseUnsignedLong(id.substring(16), 16));
    }
    double share = ones / (128.0 * ids);
    assertThat(share).isBetween(0.495, 0.505);
    // 32-bit prefixes of 20,000 random ids collide rarely (expected about 0.05 pairs)
    assertThat(blocks.size()).isGreaterThan(ids - 5);
  }
}
