package org.mailwarden.internal.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mailwarden.spi.StoreSettings;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.StoreUnavailableException;
import org.mailwarden.spi.SuppressionStore;
import org.mailwarden.suppression.Suppression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application's suppression list in Redis: one key per address,
 * {@code <redis.key-prefix>suppression:<app>:<address>}, whose value holds the reason, source and
 * times, and which Redis expires itself at the entry's {@code expiresAt} ({@code PXAT}). The
 * recipients of a send are looked up together: with the quota's charge in one script when a limit is
 * on ({@link #findAllOrCharge}), else with one {@code MGET}. Adding is one {@code SET}; removing one
 * {@code GET} and one {@code DEL}; listing scans the application's keys (an administrative call, not on the send path).
 *
 * <p>Every call waits at most {@code redis.timeout}. When Redis fails, {@code store.on-failure=refuse}
 * throws {@link StoreUnavailableException}; {@code local} answers from a list held in this JVM, to
 * which every entry this JVM adds is also written, so the addresses this process learnt stay
 * suppressed during an outage. Entries added during an outage are not copied to Redis afterwards.
 */
final class RedisSuppressionStore implements SuppressionStore {
  private static final Logger log = LoggerFactory.getLogger(RedisSuppressionStore.class);
  private static final byte VERSION = 1;

  private final SharedConnection connection;
  private final StoreSettings settings;
  private final String keyPrefix;
  private final java.time.Clock clock;
  private final SuppressionStore local;
  private volatile boolean failing;

  RedisSuppressionStore(SharedConnection connection, StoreSettings settings, String app) {
    this.connection = connection;
    this.settings = settings;
    this.keyPrefix = settings.keyPrefix() + "suppression:" + app + ":";
    this.clock = connection.clock();
    this.local = settings.onFailure() == StoreSettings.OnFailure.LOCAL ? SuppressionStore.inMemory(clock) : null;
  }

  @Override
  public Optional<Suppression> find(String address) {
    return call(c -> c.get(keyPrefix + address),
        bytes -> bytes == null ? Optional.<Suppression>empty() : live(decode(address, bytes)),
        () -> local.find(address));
  }

  /** Looks several addresses up with one {@code MGET}. */
  @Override
  public Map<String, Suppression> findAll(List<String> addresses) {
    if (addresses.isEmpty()) {
      return Map.of(); // MGET needs a key
    }
    if (addresses.size() == 1) {
      String address = addresses.get(0);
      return find(address).map(entry -> Map.of(address, entry)).orElse(Map.of());
    }
    String[] keys = keys(addresses);
    return call(c -> c.mget(keys), values -> {
      byte[][] listed = new byte[keys.length][];
      for (int i = 0; i < values.size(); i++) {
        KeyValue<String, byte[]> value = values.get(i);
        listed[i] = value.hasValue() ? value.getValue() : null;
      }
      return decode(addresses, listed);
    }, () -> local.findAll(addresses));
  }

  /**
   * Looks the addresses up and charges the quota in one round trip when the quota lives in the same
   * Redis ({@link RedisQuotaStore#chargeUnlessListed}); when Redis fails with
   * {@code store.on-failure=local}, both are answered in this JVM.
   */
  @Override
  public boolean chargesWith(QuotaStore quota) {
    return quota instanceof RedisQuotaStore shared && shared.uses(connection);
  }

  @Override
  public Verdict findAllOrCharge(List<String> addresses, QuotaStore quota, List<QuotaStore.Charge> charges) {
    if (!chargesWith(quota)) {
      return SuppressionStore.super.findAllOrCharge(addresses, quota, charges);
    }
    RedisQuotaStore shared = (RedisQuotaStore) quota;
    return shared.chargeUnlessListed(charges, keys(addresses), result -> {
      if (result.listed() == null) {
        return new Verdict(Map.of(), result.shortfall());
      }
      Map<String, Suppression> found = decode(addresses, result.listed());
      // entries that could not be read count as absent: then nothing was charged yet
      return found.isEmpty() ? new Verdict(found, shared.chargeAll(charges)) : new Verdict(found, null);
    }, () -> {
      Map<String, Suppression> found = local.findAll(addresses);
      return found.isEmpty() ? new Verdict(found, shared.chargeLocally(charges)) : new Verdict(found, null);
    });
  }

  private String[] keys(List<String> addresses) {
    String[] keys = new String[addresses.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = keyPrefix + addresses.get(i);
    }
    return keys;
  }

  /** Decodes the values found for the addresses (null: none), leaving out unreadable and expired ones. */
  private Map<String, Suppression> decode(List<String> addresses, byte[][] values) {
    Map<String, Suppression> found = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        String address = addresses.get(i);
        live(decode(address, values[i])).ifPresent(entry -> found.put(address, entry));
      }
    }
    return found;
  }

  @Override
  public void put(Suppression entry) {
    if (local != null) {
      local.put(entry);
    }
    String key = keyPrefix + entry.address();
    if (entry.isExpiredAt(clock.instant())) {
      call(c -> c.del(key), n -> null, () -> null);
      return;
    }
    SetArgs args = entry.expiresAt() == null ? new SetArgs() : SetArgs.Builder.pxAt(entry.expiresAt().toEpochMilli());
    call(c -> c.set(key, encode(entry), args), ok -> null, () -> null);
  }

  @Override
  public boolean remove(String address) {
    // an entry past its expiresAt on our clock may still be in Redis: it counts as absent
    boolean live = find(address).isPresent();
    boolean locally = local != null && local.remove(address);
    return call(c -> c.del(keyPrefix + address), n -> live, () -> locally);
  }

  @Override
  public List<Suppression> list() {
    return call(c -> null, ignored -> scan(), () -> local.list());
  }

  private List<Suppression> scan() {
    RedisAsyncCommands<String, byte[]> c = connection.get().async();
    ScanArgs match = ScanArgs.Builder.matches(glob(keyPrefix) + "*").limit(1000);
    List<Suppression> out = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      ScanCursor at = cursor;
      KeyScanCursor<String> page = await(() -> c.scan(at, match));
      if (!page.getKeys().isEmpty()) {
        String[] keys = page.getKeys().toArray(new String[0]);
        for (KeyValue<String, byte[]> kv : await(() -> c.mget(keys))) {
          if (kv.hasValue()) {
            live(decode(kv.getKey().substring(keyPrefix.length()), kv.getValue())).ifPresent(out::add);
          }
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
    out.sort(Comparator.comparing(Suppression::since).thenComparing(Suppression::address));
    return out;
  }

  /** Runs one command, maps its answer; on failure refuses or answers from the local list. */
  private <R, T> T call(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<R>> command,
      Function<R, T> answer, Supplier<T> fallback) {
    T result;
    try {
      RedisAsyncCommands<String, byte[]> c = connection.get().async();
      RedisFuture<R> future = command.apply(c);
      result = answer.apply(future == null ? null
          : connection.await(future, () -> command.apply(c), connection.nanoTime() + settings.timeout().toNanos()));
    } catch (RuntimeException e) {
      String what = "suppression list at " + connection.describe() + " did not answer within "
          + settings.timeout().toMillis() + "ms: " + SharedConnection.message(e);
      if (!failing) {
        failing = true;
        log.warn("{}; {}", what, local == null ? "sends are refused until it answers"
            : "using the entries known to this JVM until it answers");
      }
      if (local == null) {
        throw e instanceof StoreUnavailableException s ? s : new StoreUnavailableException(what, e);
      }
      return fallback.get();
    }
    if (failing) {
      failing = false;
      log.info("suppression list at {} answers again", connection.describe());
    }
    return result;
  }

  private <R> R await(Supplier<RedisFuture<R>> command) {
    return connection.await(command, connection.nanoTime() + settings.timeout().toNanos());
  }

  private Optional<Suppression> live(Suppression s) {
    return s == null || s.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(s);
  }

  static byte[] encode(Suppression s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + s.reason().length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(s.since().toEpochMilli());
      out.writeLong(s.expiresAt() == null ? Long.MIN_VALUE : s.expiresAt().toEpochMilli());
      writeText(out, s.source());
      writeText(out, s.reason());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes a value; a value this version cannot read is logged and treated as absent. */
  static Suppression decode(String address, byte[] value) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      if (in.readByte() != VERSION) {
        throw new IOException("unknown format version");
      }
      Instant since = Instant.ofEpochMilli(in.readLong());
      long expires = in.readLong();
      String source = readText(in);
      String reason = readText(in);
      return new Suppression(address, reason, source, since,
          expires == Long.MIN_VALUE ? null : Instant.ofEpochMilli(expires));
    } catch (IOException | RuntimeException e) {
      log.warn("ignored an unreadable suppression entry in Redis ({} bytes): {}", value.length, e.toString());
      return null;
    }
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readText(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad text length " + n);
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  /** Escapes the glob characters of SCAN MATCH. */
  static String glob(String literal) {
    StringBuilder b = new StringBuilder(literal.length() + 8);
    for (char ch : literal.toCharArray()) {
      if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') {
        b.append('\\');
      }
      b.append(ch);
    }
    return b.toString();
  }

  /** The shared connection stays open for the other sessions; nothing to release. */
  @Override
  public void close() {}
}
