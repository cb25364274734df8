package org.mailwarden.internal.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.suppression.Suppression;
import org.mailwarden.testing.FakeTime;

/** The journal of the file store: durability across reopening, torn lines, concurrency, compaction, expiry. */
class FileSuppressionStoreTest {
  @TempDir
  Path dir;

  private final FakeTime time = new FakeTime();

  private Suppression entry(String address, Duration ttl) {
    Instant now = time.instant();
    return new Suppression(address, "userunknown: 550 5.1.1\tno such user", "bounce", now,
        ttl == null ? null : now.plus(ttl));
  }

  private FileSuppressionStore open(Path file) {
    return new FileSuppressionStore(file, time, FileSuppressionStore.DEFAULT_COMPACT_MIN);
  }

  @Test
  void entriesAndRemovalsSurviveReopening() {
    Path file = dir.resolve("a.suppressions");
    try (FileSuppressionStore store = open(file)) {
      store.put(entry("a@example.com", null));
      store.put(entry("b@example.com", null));
      store.put(entry("c@example.com", null));
      assertThat(store.remove("b@example.com")).isTrue();
      assertThat(store.remove("b@example.com")).isFalse();
    }
    try (FileSuppressionStore store = open(file)) {
      assertThat(store.list()).extracting(Suppression::address).containsExactly("a@example.com", "c@example.com");
      assertThat(store.find("a@example.com").orElseThrow().reason()).isEqualTo("userunknown: 550 5.1.1\tno such user");
    }
  }

  @Test
  void noFileIsCreatedUntilTheFirstEntry() {
    Path file = dir.resolve("sub/dir/lazy.suppressions");
    try (FileSuppressionStore store = open(file)) {
      assertThat(store.find("a@example.com")).isEmpty();
      assertThat(store.list()).isEmpty();
      assertThat(file.getParent()).doesNotExist();
      store.put(entry("a@example.com", null));
      assertThat(file).exists();
    }
  }

  @Test
  void aTornLastLineIsIgnoredAndNeverCorruptsEarlierOrLaterEntries() throws Exception {
    Path file = dir.resolve("torn.suppressions");
    try (FileSuppressionStore store = open(file)) {
      store.put(entry("a@example.com", null));
      store.put(entry("b@example.com", null));
    }
    // a crash in the middle of writing the third record: half a line, no newline
    String third = FileSuppressionStore.encodeAdd(entry("c@example.com", null));
    Files.writeString(file, third.substring(0, third.length() / 2), StandardOpenOption.APPEND);

    try (FileSuppressionStore store = open(file)) {
      assertThat(store.list()).extracting(Suppression::address).containsExactly("a@example.com", "b@example.com");
      store.put(entry("d@example.com", null));
    }
    try (FileSuppressionStore store = open(file)) {
      assertThat(store.list()).extracting(Suppression::address)
          .containsExactly("a@example.com", "b@example.com", "d@example.com");
    }
    assertThat(Files.readAllLines(file)).hasSize(4).allSatisfy(l -> assertThat(l).doesNotContain("c@example.com"));
  }

  @Test
  void aDamagedRecordInTheMiddleIsSkippedAndTheRestIsKept() throws Exception {
    Path file = dir.resolve("damaged.suppressions");
    try (FileSuppressionStore store = open(file)) {
      store.put(entry("a@example.com", null));
      store.put(entry("b@example.com", null));
      store.put(entry("c@example.com", null));
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(2, lines.get(2).replace("b@example.com", "x@example.com")); // CRC no longer matches
    Files.write(file, lines);

    try (FileSuppressionStore store = open(file)) {
      assertThat(store.list()).extracting(Suppression::address).containsExactly("a@example.com", "c@example.com");
    }
  }

  @Test
  void aFileThatIsNotAJournalIsRefusedNotOverwritten() throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "my notes\n");
    assertThatThrownBy(() -> open(file)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a Mailwarden suppression journal");
    assertThat(Files.readString(file)).isEqualTo("my notes\n");
  }

  @Test
  void concurrentWritersInOneJvmLoseNothing() throws Exception {
    Path file = dir.resolve("concurrent.suppressions");
    int threads = 8;
    int each = 60;
    java.util.concurrent.ConcurrentMap<Path, FileSuppressionStore> open = new java.util.concurrent.ConcurrentHashMap<>();
    FileSuppressionStore store = FileSuppressionStore.open(file, time, open);
    assertThat(FileSuppressionStore.open(file, time, open)).isSameAs(store);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < each; i++) {
          store.put(entry("t" + id + "-" + i + "@example.com", null));
          if (i % 3 == 0) {
            store.remove("t" + id + "-" + i + "@example.com");
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    int expected = threads * (each - (each + 2) / 3);
    assertThat(store.list()).hasSize(expected);
    store.close();

    try (FileSuppressionStore reopened = open(file)) {
      assertThat(reopened.list()).hasSize(expected);
      assertThat(reopened.find("t3-1@example.com")).isPresent();
      assertThat(reopened.find("t3-3@example.com")).isEmpty();
    }
  }

  @Test
  void aSecondOpeningOfALockedFileIsRefusedWithTheFileNamed() {
    Path file = dir.resolve("locked.suppressions");
    try (FileSuppressionStore first = open(file)) {
      first.put(entry("a@example.com", null));
      assertThatThrownBy(() -> open(file)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another process").hasMessageContaining(file.toString());
    }
    try (FileSuppressionStore again = open(file)) {
      assertThat(again.find("a@example.com")).isPresent();
    }
  }

  @Test
  void compactionKeepsLiveEntriesAndShrinksTheJournal() throws Exception {
    Path file = dir.resolve("compact.suppressions");
    try (FileSuppressionStore store = new FileSuppressionStore(file, time, 20)) {
      store.put(entry("keep@example.com", null));
      for (int i = 0; i < 100; i++) {
        store.put(entry("churn" + i + "@example.com", null));
        store.remove("churn" + i + "@example.com");
      }
      assertThat(store.records()).isLessThanOrEqualTo(21);
      assertThat(Files.readAllLines(file).size()).isLessThanOrEqualTo(22);
      store.put(entry("after@example.com", null));
    }
    assertThat(Files.exists(dir.resolve("compact.suppressions.tmp"))).isFalse();
    try (FileSuppressionStore store = open(file)) {
      assertThat(store.list()).extracting(Suppression::address).containsExactlyInAnyOrder("keep@example.com", "after@example.com");
    }
  }

  @Test
  void entriesExpireAtTheirTimeAndStayExpiredAfterReopening() {
    Path file = dir.resolve("ttl.suppressions");
    try (FileSuppressionStore store = open(file)) {
      store.put(entry("short@example.com", Duration.ofDays(30)));
      store.put(entry("forever@example.com", null));
      time.advance(Duration.ofDays(29));
      assertThat(store.find("short@example.com")).isPresent();
      time.advance(Duration.ofDays(1));
      assertThat(store.find("short@example.com")).isEmpty();
      assertThat(store.list()).extracting(Suppression::address).containsExactly("forever@example.com");
      assertThat(store.remove("short@example.com")).as("an expired entry is not removed").isFalse();
    }
    try (FileSuppressionStore store = open(file)) {
      assertThat(store.find("short@example.com")).isEmpty();
      assertThat(store.find("forever@example.com")).isPresent();
    }
  }

  @Test
  void fieldsWithTabsNewlinesAndPercentSignsRoundTrip() {
    Path file = dir.resolve("escape.suppressions");
    Suppression odd = new Suppression("a@example.com", "50% full\r\n\tbye", "web%hook\t1", time.instant(), null);
    try (FileSuppressionStore store = open(file)) {
      store.put(odd);
    }
    try (FileSuppressionStore store = open(file)) {
      assertThat(store.find("a@example.com")).contains(odd);
    }
    assertThat(new String(readAll(file), StandardCharsets.UTF_8).lines()).hasSize(2);
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
