package org.mailwarden.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.internal.quota.LocalQuotaStore;
import org.mailwarden.suppression.Suppression;
import org.mailwarden.suppression.SuppressionList;
import org.mailwarden.testing.FakeTime;

/**
 * The contract of a {@link SuppressionStore}, run by every implementation: extend it and open the
 * store under test in {@link #open(StoreContext)}. The store runs on a fake clock that moves only when
 * a test says so; {@link #quotaStore(StoreContext)} is the quota store its
 * {@link SuppressionStore#findAllOrCharge} charges (a shared store returns its own, so that the
 * look-up and the charge go together).
 */
public abstract class SuppressionStoreContract {
  /** The fake time of the store: wall clock at the real current millisecond, so a shared store's expiries hold. */
  protected final FakeTime time = new FakeTime(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  /** The context the store is opened with. */
  protected final StoreContext context = QuotaStoreContract.contextOf(time);

  private SuppressionStore store;
  private String unique;

  /** Returns a new store under test, empty, on the given context's time. Called before each test. */
  protected abstract SuppressionStore open(StoreContext context);

  /** Returns the quota store that {@code findAllOrCharge} is asked to charge; this default keeps buckets in the JVM. */
  protected QuotaStore quotaStore(StoreContext context) {
    return new LocalQuotaStore(time);
  }

  @BeforeEach
  void openStore() {
    store = open(context);
    unique = UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private Suppression entry(String address, Duration ttl) {
    Instant now = time.instant();
    return new Suppression(address, "550 5.1.1 no such user", "smtp", now, ttl == null ? null : now.plus(ttl));
  }

  @Test
  void anEntryPutIsFoundWithEveryField() {
    Suppression put = new Suppression("gone@example.com", "550 5.1.1\tno such\nuser %41 \u00fcber", "bounce",
        time.instant().minusSeconds(60), time.instant().plus(Duration.ofDays(30)));
    store.put(put);

    assertThat(store.find("gone@example.com")).contains(put);
  }

  @Test
  void anAddressNeverPutIsNotFound() {
    store.put(entry("gone@example.com", null));

    assertThat(store.find("other@example.com")).isEmpty();
  }

  @Test
  void puttingAnAddressAgainReplacesItsEntry() {
    store.put(entry("gone@example.com", null));
    time.advance(Duration.ofSeconds(5));
    Suppression again = new Suppression("gone@example.com", "complaint", "feedback", time.instant(), null);
    store.put(again);

    assertThat(store.find("gone@example.com")).contains(again);
    assertThat(store.list()).containsExactly(again);
  }

  @Test
  void removeSaysWhetherThereWasAnEntryAndTheAddressIsNoLongerFound() {
    store.put(entry("gone@example.com", null));

    assertThat(store.remove("gone@example.com")).isTrue();
    assertThat(store.find("gone@example.com")).isEmpty();
    assertThat(store.remove("gone@example.com")).isFalse();
    assertThat(store.remove("never@example.com")).isFalse();
  }

  @Test
  void listHasTheLiveEntriesOldestFirst() {
    Suppression first = entry("b@example.com", null);
    time.advance(Duration.ofSeconds(1));
    Suppression second = entry("a@example.com", Duration.ofHours(1));
    time.advance(Duration.ofSeconds(1));
    Suppression third = entry("c@example.com", Duration.ofMinutes(1));
    store.put(third);
    store.put(first);
    store.put(second);

    assertThat(store.list()).containsExactly(first, second, third);
  }

  @Test
  void anEntryExpiresAtItsExpiresAtOnTheStoreClock() {
    store.put(entry("soft@example.com", Duration.ofHours(1)));
    store.put(entry("hard@example.com", null));

    time.advance(Duration.ofHours(1).minusMillis(1));
    assertThat(store.find("soft@example.com")).isPresent();
    time.advance(Duration.ofMillis(1));

    assertThat(store.find("soft@example.com")).isEmpty();
    assertThat(store.findAll(List.of("soft@example.com", "hard@example.com"))).containsOnlyKeys("hard@example.com");
    assertThat(store.list()).extracting(Suppression::address).containsExactly("hard@example.com");
    assertThat(store.remove("soft@example.com")).as("an expired entry is not there to remove").isFalse();
  }

  @Test
  void anEntryPutAlreadyExpiredIsNotKept() {
    store.put(entry("old@example.com", null));
    Instant past = time.instant().minusSeconds(1);
    store.put(new Suppression("old@example.com", "gone", "manual", past.minusSeconds(60), past));

    assertThat(store.find("old@example.com")).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void findAllAnswersTheListedAddressesAlone() {
    Suppression a = entry("a@example.com", null);
    Suppression c = entry("c@example.com", null);
    store.put(a);
    store.put(c);

    assertThat(store.findAll(List.of("a@example.com", "b@example.com", "c@example.com")))
        .containsOnlyKeys("a@example.com", "c@example.com")
        .containsEntry("a@example.com", a).containsEntry("c@example.com", c);
    assertThat(store.findAll(List.of("b@example.com"))).isEmpty();
    assertThat(store.findAll(List.of())).isEmpty();
  }

  @Test
  void normalizedAddressesAreKeysAsGivenWithUnicodeAndPatternCharactersKeptApart() {
    String unicode = SuppressionList.normalize("J\u00f6rg@Ex\u00e4mple.ORG");
    store.put(entry(unicode, null));
    store.put(entry("a*b?@example.com", null));
    store.put(entry("a[1]\\x@example.com", null));

    assertThat(store.find(unicode)).isPresent();
    assertThat(store.find("ab@example.com")).isEmpty();
    assertThat(store.find("a*b?@example.com")).isPresent();
    assertThat(store.list()).extracting(Suppression::address)
        .containsExactlyInAnyOrder(unicode, "a*b?@example.com", "a[1]\\x@example.com");
  }

  @Test
  void findAllOrChargeChargesNothingWhenOneAddressIsListed() {
    QuotaStore quota = quotaStore(context);
    QuotaStore.Charge charge = charge(3);
    store.put(entry("gone@example.com", null));

    SuppressionStore.Verdict verdict =
        store.findAllOrCharge(List.of("ok@example.com", "gone@example.com"), quota, List.of(charge));

    assertThat(verdict.found()).containsOnlyKeys("gone@example.com");
    assertThat(verdict.shortfall()).isNull();
    assertThat(quota.bucket(charge.key(), charge.configuration()).getAvailableTokens()).isEqualTo(5);
  }

  @Test
  void findAllOrChargeChargesWhenNoAddressIsListedAndReportsAShortfall() {
    QuotaStore quota = quotaStore(context);
    store.put(entry("gone@example.com", null));

    SuppressionStore.Verdict taken = store.findAllOrCharge(List.of("ok@example.com"), quota, List.of(charge(3)));
    SuppressionStore.Verdict refused = store.findAllOrCharge(List.of("ok@example.com"), quota, List.of(charge(3)));

    assertThat(taken.found()).isEmpty();
    assertThat(taken.shortfall()).isNull();
    assertThat(refused.found()).isEmpty();
    assertThat(refused.shortfall()).isNotNull();
    assertThat(refused.shortfall().charge()).isZero();
    assertThat(quota.bucket(charge(3).key(), charge(3).configuration()).getAvailableTokens()).isEqualTo(2);
  }

  @Test
  void concurrentPutsLoseNothing() throws Exception {
    int threads = 4;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            store.put(entry("t" + id + "-" + i + "@example.com", null));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.list()).hasSize(threads * each);
    assertThat(store.find("t3-24@example.com")).isPresent();
  }

  @Test
  void closeMayBeCalledMoreThanOnce() {
    store.put(entry("gone@example.com", null));

    store.close();
    store.close();
  }

  /** A charge of tokens from a bucket of five per minute, under a key of this test. */
  private QuotaStore.Charge charge(long tokens) {
    Supplier<BucketConfiguration> five = () -> BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(5).refillGreedy(5, Duration.ofMinutes(1)).build())
        .build();
    return new QuotaStore.Charge("contract-" + unique + "|limit", five, 5, tokens);
  }
}
