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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.spi.QuotaStore.Charge;
import org.mailwarden.spi.QuotaStore.Shortfall;
import org.mailwarden.testing.FakeTime;

/**
 * The contract of a {@link QuotaStore}, run by every implementation (as Bucket4j's
 * {@code AbstractDistributedBucketTest} is run by every storage back end): extend it and return the
 * store under test from {@link #store(StoreContext)}. The store runs on a fake clock that moves only
 * when a test says so; each test uses keys of its own.
 */
public abstract class QuotaStoreContract {
  /** The fake time of the store: wall clock at the real current millisecond, so a shared store's TTLs hold. */
  protected final FakeTime time = new FakeTime(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  /** The context the store is opened with. */
  protected final StoreContext context = contextOf(time);

  private QuotaStore store;
  private String prefix;

  /** Returns the store under test, on the given context's time. Called before each test. */
  protected abstract QuotaStore store(StoreContext context);

  /** Returns a context whose clock and monotonic time are the fake time. */
  public static StoreContext contextOf(FakeTime time) {
    return new StoreContext() {
      @Override
      public java.time.Clock clock() {
        return time;
      }

      @Override
      public long nanoTime() {
        return time.read();
      }
    };
  }

  @BeforeEach
  void openStore() {
    store = store(context);
    prefix = "contract-" + UUID.randomUUID() + "|";
  }

  private String key(String name) {
    return prefix + name;
  }

  private static Supplier<BucketConfiguration> perMinute(long count) {
    return () -> BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(count).refillGreedy(count, Duration.ofMinutes(1)).build())
        .build();
  }

  private Charge charge(String name, long capacity, long tokens) {
    return new Charge(key(name), perMinute(capacity), capacity, tokens);
  }

  private long available(String name, long capacity) {
    return store.bucket(key(name), perMinute(capacity)).getAvailableTokens();
  }

  @Test
  void aChargeThatFitsTakesTheTokensOfEveryBucket() {
    assertThat(store.chargeAll(List.of(charge("a", 10, 1), charge("b", 5, 3)))).isNull();

    assertThat(available("a", 10)).isEqualTo(9);
    assertThat(available("b", 5)).isEqualTo(2);
  }

  @Test
  void chargeIsAllOrNothingARefusalGivesBackWhatWasTakenBeforeIt() {
    assertThat(store.chargeAll(List.of(charge("b", 5, 3)))).isNull();

    Shortfall shortfall = store.chargeAll(List.of(charge("a", 10, 1), charge("b", 5, 3)));

    assertThat(shortfall).isNotNull();
    assertThat(available("a", 10)).as("the first bucket's token is given back").isEqualTo(10);
    assertThat(available("b", 5)).as("the short bucket is untouched").isEqualTo(2);
  }

  @Test
  void aShortfallNamesTheFirstChargeThatDidNotFit() {
    assertThat(store.chargeAll(List.of(charge("b", 5, 5), charge("c", 5, 5)))).isNull();

    Shortfall shortfall = store.chargeAll(List.of(charge("a", 10, 1), charge("b", 5, 1), charge("c", 5, 1)));

    assertThat(shortfall.charge()).isEqualTo(1);
  }

  @Test
  void retryAfterIsTheTimeUntilTheChargeWouldFitAndTheChargeFitsThen() {
    assertThat(store.chargeAll(List.of(charge("a", 10, 10)))).isNull();

    Shortfall shortfall = store.chargeAll(List.of(charge("a", 10, 1)));
    assertThat(Duration.ofNanos(shortfall.nanosToWait())).as("one token of ten per minute")
        .isEqualTo(Duration.ofSeconds(6));

    time.advance(Duration.ofNanos(shortfall.nanosToWait() - 1_000_000));
    assertThat(store.chargeAll(List.of(charge("a", 10, 1)))).as("a millisecond early").isNotNull();
    time.advance(Duration.ofMillis(1));
    assertThat(store.chargeAll(List.of(charge("a", 10, 1)))).isNull();
  }

  @Test
  void bucketsRefillWithTheStoreClockAndOnlyWithIt() {
    assertThat(store.chargeAll(List.of(charge("a", 10, 10)))).isNull();
    assertThat(store.chargeAll(List.of(charge("a", 10, 1)))).isNotNull();

    time.advance(Duration.ofMinutes(1));

    assertThat(store.chargeAll(List.of(charge("a", 10, 10)))).isNull();
  }

  @Test
  void aChargeAboveTheCapacityIsTakenOnlyFromAFullBucketAndLeavesItInDebt() {
    assertThat(store.chargeAll(List.of(charge("full", 5, 8)))).as("from a full bucket").isNull();
    assertThat(available("full", 5)).isEqualTo(-3);
    Shortfall next = store.chargeAll(List.of(charge("full", 5, 1)));
    assertThat(Duration.ofNanos(next.nanosToWait())).as("the debt of 3 and the token, at 12 s each")
        .isEqualTo(Duration.ofSeconds(48));

    assertThat(store.chargeAll(List.of(charge("used", 5, 1)))).isNull();
    assertThat(store.chargeAll(List.of(charge("used", 5, 8)))).as("from a bucket not full").isNotNull();
    assertThat(available("used", 5)).isEqualTo(4);
  }

  @Test
  void bucketsUnderDifferentKeysAreIndependent() {
    assertThat(store.chargeAll(List.of(charge("a", 3, 3)))).isNull();

    assertThat(store.chargeAll(List.of(charge("b", 3, 3)))).isNull();
    assertThat(store.chargeAll(List.of(charge("a", 3, 1)))).isNotNull();
  }

  @Test
  void holdsNeverCreatesABucket() {
    assertThat(store.holds(key("a"))).isFalse();
    assertThat(store.holds(key("a"))).isFalse();

    assertThat(store.chargeAll(List.of(charge("a", 10, 1)))).isNull();

    assertThat(store.holds(key("a"))).isTrue();
    assertThat(store.holds(key("b"))).isFalse();
  }

  @Test
  void readingABucketTakesNoTokens() {
    assertThat(available("a", 10)).isEqualTo(10);
    assertThat(available("a", 10)).isEqualTo(10);
    assertThat(store.chargeAll(List.of(charge("a", 10, 10)))).isNull();
  }

  @Test
  void concurrentChargesNeverAdmitMoreThanTheCapacity() throws Exception {
    int threads = 8;
    int each = 20;
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            if (store.chargeAll(List.of(charge("messages", 100, 1), charge("recipients", 50, 1))) == null) {
              admitted.incrementAndGet();
            }
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

    assertThat(admitted).hasValue(50);
    assertThat(available("recipients", 50)).isZero();
    assertThat(available("messages", 100)).as("refused charges gave their message token back").isEqualTo(50);
  }
}
