package org.mailwarden.internal.quota;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How long the local store keeps a bucket, on a fake clock shared by the cache and the buckets: a
 * bucket is never dropped before it has refilled, and is dropped at the time set by the last
 * look-up that set one (refill, plus one period, plus a second); look-ups until the refill time
 * that look-up found, plus half a second, are quiet.
 */
class LocalQuotaStoreTest {
  private static final String KEY = "app|limit.messages-per-minute|10";
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final long PERIOD = Duration.ofMinutes(1).toNanos();
  private static final Supplier<BucketConfiguration> TEN_PER_MINUTE = () -> BucketConfiguration.builder()
      .addLimit(Bandwidth.builder().capacity(10).refillGreedy(10, Duration.ofMinutes(1)).build())
      .build();

  private final FakeClock clock = new FakeClock();
  private final LocalQuotaStore store = new LocalQuotaStore(clock);

  /**
   * Three tokens every six seconds (one token refills every six): taken at 0, 6, 12 and 18 s,
   * refused at 24 s (two left), taken at 30 s, which empties the bucket; it is full again at 90 s.
   * At 24 s it needed until 72 s to refill, and nothing was taken until 30 s, so whichever of those
   * look-ups set the time last, it is kept until 72 s plus one period plus a second (133 s).
   */
  @Test
  void bucketEmptiedOverThirtySecondsIsKeptWithItsTokensUntilRefilledPlusAPeriodAndASecond() {
    Bucket first = store.bucket(KEY, TEN_PER_MINUTE);
    StringBuilder taken = new StringBuilder();
    for (long t = 0; t <= 30 * SECOND; t += 6 * SECOND) {
      clock.set(t);
      Bucket bucket = store.bucket(KEY, TEN_PER_MINUTE);
      assertThat(bucket).isSameAs(first);
      taken.append(bucket.tryConsume(3) ? 'y' : 'n');
    }
    assertThat(taken).hasToString("yyyyny");
    assertThat(first.getAvailableTokens()).isZero();
    long full = 30 * SECOND + PERIOD;
    long dropped = 72 * SECOND + PERIOD + SECOND;

    clock.set(full + SECOND / 2 - 1);
    assertThat(store.holds(KEY)).isTrue();
    assertThat(first.getAvailableTokens()).isEqualTo(10);
    clock.set(dropped - 1);
    assertThat(store.holds(KEY)).isTrue();
    clock.set(dropped);
    assertThat(store.holds(KEY)).isFalse();
    assertThat(store.bucket(KEY, TEN_PER_MINUTE)).isNotSameAs(first);
  }

  /**
   * A full bucket is looked up at 0, then emptied at {@code later}: within half a second the look-up
   * is quiet and the time set at 0 stands; after it, the look-up sets the time again. Either way
   * the bucket is kept at least half a second past refilling, and exactly as long as the rule says.
   */
  @ParameterizedTest
  @ValueSource(longs = {0, 250_000_000, 499_999_999, 500_000_000, 750_000_000, 999_999_999, 1_500_000_000})
  void bucketEmptiedSoonAfterALookUpIsKeptUntilTheTimeThatLookUpSetOrALaterOne(long later) {
    Bucket first = store.bucket(KEY, TEN_PER_MINUTE);
    clock.set(later);
    Bucket bucket = store.bucket(KEY, TEN_PER_MINUTE);
    assertThat(bucket.tryConsume(10)).isTrue();
    long full = later + PERIOD;
    long setAt = later < SECOND / 2 ? 0 : later;
    long dropped = setAt + PERIOD + SECOND; // refill from full (none) + one period + a second
    assertThat(dropped - full).isGreaterThanOrEqualTo(SECOND / 2);

    clock.set(dropped - 1);
    assertThat(store.holds(KEY)).isTrue();
    assertThat(first.getAvailableTokens()).isEqualTo(10);
    clock.set(dropped);
    assertThat(store.holds(KEY)).isFalse();
  }

  @Test
  void quietLookUpReturnsTheBucketOfTheLookUpThatSetTheTime() {
    Bucket created = store.bucket(KEY, TEN_PER_MINUTE);
    clock.set(SECOND / 4);
    Bucket quiet = store.bucket(KEY, TEN_PER_MINUTE);
    clock.set(2 * SECOND);
    Bucket timed = store.bucket(KEY, TEN_PER_MINUTE);

    assertThat(quiet).isSameAs(created);
    assertThat(timed).isSameAs(created);
    clock.set(63 * SECOND - 1); // the timed look-up set 2 s + one period + a second
    assertThat(store.holds(KEY)).isTrue();
  }

  @Test
  void chargeAboveTheCapacityKeepsTheBucketUntilItsDebtHasRefilledPlusAPeriodAndASecond() {
    org.mailwarden.spi.QuotaStore.Charge charge = new org.mailwarden.spi.QuotaStore.Charge(KEY, TEN_PER_MINUTE, 10, 25);
    assertThat(store.chargeAll(List.of(charge))).isNull();
    Bucket bucket = store.bucket(KEY, TEN_PER_MINUTE);
    assertThat(bucket.getAvailableTokens()).isEqualTo(-15);
    long full = 25 * PERIOD / 10; // 150 s

    // past the time set for a full bucket (one period and a second) it is still 4 tokens in debt
    clock.set(PERIOD + 6 * SECOND);
    assertThat(bucket.getAvailableTokens()).isEqualTo(-4);
    org.mailwarden.spi.QuotaStore.Charge one = new org.mailwarden.spi.QuotaStore.Charge(KEY, TEN_PER_MINUTE, 10, 1);
    assertThat(store.chargeAll(List.of(one))).isNotNull();

    clock.set(full + PERIOD + SECOND - 1);
    assertThat(store.holds(KEY)).isTrue();
    assertThat(bucket.getAvailableTokens()).isEqualTo(10);
    clock.set(full + PERIOD + SECOND);
    assertThat(store.holds(KEY)).isFalse();
  }

  @Test
  void aChargeReadsTheClockOnceForAllItsLookUpsAndBuckets() {
    org.mailwarden.spi.QuotaStore.Charge messages = new org.mailwarden.spi.QuotaStore.Charge(KEY, TEN_PER_MINUTE, 10, 1);
    org.mailwarden.spi.QuotaStore.Charge recipients = new org.mailwarden.spi.QuotaStore.Charge("app|limit.recipients-per-minute|10",
        TEN_PER_MINUTE, 10, 3);
    for (int send = 1; send <= 3; send++) { // the first creates the buckets, the others are quiet
      clock.set(send * SECOND);
      int before = clock.reads;
      assertThat(store.chargeAll(List.of(messages, recipients))).isNull();
      assertThat(clock.reads - before).as("clock reads of send %d", send).isEqualTo(1);
    }
    assertThat(store.bucket(KEY, TEN_PER_MINUTE).getAvailableTokens()).isEqualTo(7);
    assertThat(store.bucket(recipients.key(), TEN_PER_MINUTE).getAvailableTokens()).isEqualTo(1);
    int before = clock.reads;
    store.bucket(KEY, TEN_PER_MINUTE).getAvailableTokens();
    assertThat(clock.reads - before).as("outside a charge, the look-up and the bucket read the clock")
        .isGreaterThan(1);
  }

  /** One time for the cache and the buckets, moved by the test, starting at 0; counts its reads. */
  private static final class FakeClock implements Ticker {
    private volatile long nanos;
    private int reads;

    void set(long nanos) {
      this.nanos = nanos;
    }

    @Override
    public long read() {
      reads++;
      return nanos;
    }
  }
}
