package org.mailwarden.internal.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.remote.MutableBucketEntry;
import io.github.bucket4j.distributed.remote.commands.ConsumeIgnoringRateLimitsCommand;
import io.github.bucket4j.distributed.remote.commands.CreateInitialStateAndExecuteCommand;
import io.github.bucket4j.distributed.remote.commands.TryConsumeAndReturnRemainingTokensCommand;
import io.github.bucket4j.distributed.versioning.Version;
import io.github.bucket4j.distributed.versioning.Versions;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.mailwarden.spi.StoreSettings;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.QuotaStore.Charge;
import org.mailwarden.spi.QuotaStore.Shortfall;
import org.mailwarden.spi.StoreUnavailableException;

/**
 * Charges all the buckets of a send in Redis at once: one script, one round trip, all or none.
 *
 * <p>Bucket4j does the arithmetic, on this side: each bucket's state is the one this JVM last saw in
 * Redis, and Bucket4j's own commands ({@code TryConsumeAndReturnRemaining}, and for a charge above
 * the capacity {@code ConsumeIgnoringRateLimits}) turn it into the new state, serialized as Bucket4j's
 * Lettuce integration serializes it (so both read and write the same keys). The script then compares
 * every bucket's state in Redis with the one the arithmetic started from and, only if all are
 * unchanged, writes all the new states with Bucket4j's time to live. That is Bucket4j's
 * compare-and-swap, for several keys in one step, with the {@code GET} before it replaced by the
 * state remembered from the last answer: when another process changed a bucket in the meantime, the
 * script writes nothing and returns the current states, and the charge is computed again from them.
 * A send that does not fit is checked the same way before it is refused, so a refusal is never
 * based on a stale state.
 *
 * <p>Sends of one JVM take turns (a lock, waited for while the charges ahead end, each within
 * {@code redis.timeout}, at most {@code redis.connect-timeout} in all), so they never
 * race each other; several JVMs race only when they charge in the same instant, and the loser's
 * retry costs one more round trip. Every attempt together is bounded by {@code redis.timeout}, from
 * the first command on; a script without an answer in half of it is sent once more
 * ({@link SharedConnection#await}).
 * Redis Cluster is not supported: the keys of one send may lie in different slots.
 */
final class ChargeScript {
  private static final byte[] ABSENT = new byte[0];
  /**
   * KEYS: the buckets, then the keys that must be absent for the charge to be taken (the recipients'
   * suppression entries). ARGV: the number of buckets, 1 to write or 0 to check only, then per bucket
   * the state expected ('' for no key), the new state and its time to live in milliseconds. Returns
   * {2, j, value, ...} with the guard keys found (nothing written), else {0, i, state, ...} with the
   * current state of each bucket that differed from the one expected (nothing written), else {1}
   * (and then, to write, the new states are written).
   */
  static final String SCRIPT = """
      local n = tonumber(ARGV[1])
      local listed = {}
      for j = n + 1, #KEYS do
        local value = redis.call('get', KEYS[j])
        if value then
          listed[#listed + 1] = j - n
          listed[#listed + 1] = value
        end
      end
      if #listed > 0 then
        table.insert(listed, 1, 2)
        return listed
      end
      local stale = {}
      for i = 1, n do
        local current = redis.call('get', KEYS[i]) or ''
        if current ~= ARGV[3 * i] then
          stale[#stale + 1] = i
          stale[#stale + 1] = current
        end
      end
      if #stale > 0 then
        table.insert(stale, 1, 0)
        return stale
      end
      if ARGV[2] == '1' then
        for i = 1, n do
          redis.call('psetex', KEYS[i], ARGV[3 * i + 2], ARGV[3 * i + 1])
        end
      end
      return {1}
      """;
  private static final String SHA = sha1(SCRIPT);

  private final SharedConnection connection;
  private final StoreSettings settings;
  private final String prefix;
  private final ExpirationAfterWriteStrategy expiration;
  private final Version version = Versions.getLatest();
  /** The state of each bucket as this JVM last saw it in Redis ({@link #ABSENT}: no key). */
  private final Cache<String, byte[]> seen = Caffeine.newBuilder()
      .maximumSize(RedisQuotaStore.MAX_BUCKETS).expireAfterAccess(Duration.ofHours(1))
      .executor(Runnable::run).build();
  private final ReentrantLock turn = new ReentrantLock();
  /** When Redis last answered a charge of this JVM ({@link System#nanoTime()}): the queue moves. */
  private volatile long lastTurnEnded = System.nanoTime();

  ChargeScript(SharedConnection connection, StoreSettings settings, String prefix,
      ExpirationAfterWriteStrategy expiration) {
    this.connection = connection;
    this.settings = settings;
    this.prefix = prefix;
    this.expiration = expiration;
  }

  /**
   * What {@link #chargeAll} did: when {@code listed} is not null, some guard keys were present
   * (their values by guard index, null for the absent ones) and nothing was charged; otherwise the
   * shortfall, null when every charge was taken.
   */
  record Result(byte[][] listed, Shortfall shortfall) {}

  /**
   * Charges every bucket or none, as {@link QuotaStore#chargeAll} says, but only when none of the
   * guard keys is present in Redis.
   *
   * @throws StoreUnavailableException when Redis does not answer within {@code redis.timeout}
   */
  Result chargeAll(List<Charge> charges, String[] guards) {
    RedisAsyncCommands<String, byte[]> redis = connection.get().async(); // a first connect has its own bound
    long deadline = 0;
    try {
      awaitTurn();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting to charge quotas", e);
    }
    try {
      String[] keys = new String[charges.size()];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = prefix + charges.get(i).key();
      }
      while (true) {
        Attempt attempt = compute(charges, keys);
        if (deadline == 0) {
          // from the first command on: the arithmetic before it is this JVM's time, not Redis's
          deadline = connection.nanoTime() + settings.timeout().toNanos();
        }
        List<Object> answer = run(redis, keys, guards, attempt, deadline);
        lastTurnEnded = System.nanoTime(); // Redis answers: the sends waiting behind this one may wait on
        long status = (Long) answer.get(0);
        if (status == 2) {
          byte[][] listed = new byte[guards.length][];
          for (int i = 1; i + 1 < answer.size(); i += 2) {
            listed[(int) (long) (Long) answer.get(i) - 1] = (byte[]) answer.get(i + 1);
          }
          return new Result(listed, null);
        }
        if (status == 1) {
          if (attempt.shortfall == null) {
            for (int i = 0; i < keys.length; i++) {
              seen.put(keys[i], attempt.next[i]);
            }
          }
          return new Result(null, attempt.shortfall);
        }
        for (int i = 1; i + 1 < answer.size(); i += 2) {
          int index = (int) (long) (Long) answer.get(i) - 1;
          byte[] current = (byte[]) answer.get(i + 1);
          seen.put(keys[index], current == null || current.length == 0 ? ABSENT : current);
        }
        if (connection.nanoTime() - deadline > 0) {
          throw new StoreUnavailableException("quota buckets at " + connection.describe()
              + " kept changing under other processes for " + settings.timeout().toMillis() + "ms", null);
        }
      }
    } finally {
      turn.unlock();
    }
  }

  /**
   * Waits for this JVM's turn: as long as Redis answers the charges ahead, each within
   * {@code redis.timeout} (a queue of this JVM's own sends on a busy machine, not a Redis that does
   * not answer), but no longer than {@code redis.connect-timeout} in all. A Redis that does not
   * answer stops the queue: a waiter gives up once it got no answer for {@code redis.timeout}.
   */
  private void awaitTurn() throws InterruptedException {
    long start = System.nanoTime();
    long step = settings.timeout().toNanos();
    long cap = start + Math.max(step, settings.connectTimeout().toNanos());
    while (true) {
      long ended = lastTurnEnded;
      long until = Math.min(cap, Math.max(start, ended) + step);
      if (turn.tryLock(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return;
      }
      if (lastTurnEnded == ended || System.nanoTime() - cap >= 0) {
        throw new StoreUnavailableException("quota charges to " + connection.describe() + " did not get "
            + "their turn: none ended within " + settings.timeout().toMillis() + "ms", null);
      }
    }
  }


  /** The states a charge starts from and leads to; with a shortfall only the first are checked. */
  private record Attempt(byte[][] expected, byte[][] next, long[] ttl, int checked, Shortfall shortfall) {}

  private Attempt compute(List<Charge> charges, String[] keys) {
    int n = charges.size();
    byte[][] expected = new byte[n][];
    byte[][] next = new byte[n][];
    long[] ttl = new long[n];
    long now = connection.clock().millis() * 1_000_000L; // Bucket4j's clock for compare-and-swap stores
    for (int i = 0; i < n; i++) {
      Charge charge = charges.get(i);
      byte[] state = seen.getIfPresent(keys[i]);
      expected[i] = state == null ? ABSENT : state;
      MutableBucketEntry entry = new MutableBucketEntry(expected[i].length == 0 ? null : expected[i]);
      long first = Math.min(charge.tokens(), charge.capacity());
      ConsumptionProbe probe = new CreateInitialStateAndExecuteCommand<>(charge.configuration().get(),
          new TryConsumeAndReturnRemainingTokensCommand(first)).execute(entry, now).getData();
      if (!probe.isConsumed()) {
        return new Attempt(expected, next, ttl, i + 1, new Shortfall(i, Math.max(1, probe.getNanosToWaitForRefill())));
      }
      if (charge.tokens() > charge.capacity()) {
        new ConsumeIgnoringRateLimitsCommand(charge.tokens() - charge.capacity()).execute(entry, now);
      }
      next[i] = entry.getStateBytes(version);
      ttl[i] = Math.max(1, expiration.calculateTimeToLiveMillis(entry.get(), now));
    }
    return new Attempt(expected, next, ttl, n, null);
  }

  @SuppressWarnings("unchecked")
  private List<Object> run(RedisAsyncCommands<String, byte[]> redis, String[] buckets, String[] guards,
      Attempt attempt, long deadline) {
    int n = attempt.checked;
    byte[][] args = new byte[2 + 3 * n][];
    args[0] = ascii(Integer.toString(n));
    args[1] = ascii(attempt.shortfall == null ? "1" : "0");
    for (int i = 0; i < n; i++) {
      args[2 + 3 * i] = attempt.expected[i];
      args[3 + 3 * i] = attempt.next[i] == null ? ABSENT : attempt.next[i];
      args[4 + 3 * i] = ascii(Long.toString(attempt.ttl[i]));
    }
    String[] checked = Arrays.copyOf(buckets, n + guards.length);
    System.arraycopy(guards, 0, checked, n, guards.length);
    try {
      return (List<Object>) connection.await(() -> redis.evalsha(SHA, ScriptOutputType.MULTI, checked, args), deadline);
    } catch (StoreUnavailableException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) {
        throw e;
      }
      // first use on this server (or after a restart): send the script itself, which Redis then keeps
      return (List<Object>) connection.await(() -> redis.eval(SCRIPT, ScriptOutputType.MULTI, checked, args), deadline);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String sha1(String script) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
