package org.mailwarden.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.internal.config.MailwardenConfig;
import org.mailwarden.internal.policy.AddressSyntax;
import org.mailwarden.internal.util.Text;

/**
 * Property-based fuzzing of the parsers of outside input: random and mutated inputs, for a bounded
 * time per test (default 2 s; {@code -Dmailwarden.fuzz.seconds=300} for a long run). The seed is
 * printed so a failure can be replayed with {@code -Dmailwarden.fuzz.seed=N}.
 */
class HostileInputFuzzTest {
  private static final String[] ADDRESS_SEEDS = {
      "jane.doe@example.com", "\"quoted local\"@example.org", "user@[192.0.2.1]",
      "user@[IPv6:2001:db8::1]", "pelé@bücher.de", "x@xn--bcher-kva.example", "a@b.c",
      "victim@example.com>\r\nRCPT TO:<x@example.org", "=?utf-8?q?a?=@example.com", "a..b@example.com",
      "(comment)a@example.com", "Name <a@example.com>", "a@example.com.", "\"\\\"\"@example.com"};
  private static final String ALPHABET = "aZ09.-_+@\"\\()<>[],;: \t\r\n\u0000\u0085\u2028\u00e9\u0430"
      + "\u4e2d\ud83d\ude00\ud800\u200d\u0301.@xn--IPv6:%!#$&'*/=?^`{|}~\u00a0\uff0e";

  private static long seed() {
    String s = System.getProperty("mailwarden.fuzz.seed");
    long seed = s == null ? System.nanoTime() : Long.parseLong(s);
    System.out.println("fuzz seed: " + seed);
    return seed;
  }

  private static long deadline() {
    long seconds = Long.getLong("mailwarden.fuzz.seconds", 2L);
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
  }

  private static String mutate(Random r, String base) {
    StringBuilder sb = new StringBuilder(base);
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int at = sb.length() == 0 ? 0 : r.nextInt(sb.length() + 1);
      switch (r.nextInt(4)) {
        case 0 -> sb.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        case 1 -> {
          if (at < sb.length()) {
            sb.deleteCharAt(at);
          }
        }
        case 2 -> {
          if (at < sb.length()) {
            sb.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
          }
        }
        default -> sb.insert(at, sb.substring(0, Math.min(sb.length(), r.nextInt(40))));
      }
    }
    return sb.toString();
  }

  private static String random(Random r, int max) {
    int n = r.nextInt(max);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  @Test
  void addressSyntaxNeverThrowsAndNeverAcceptsAControlCharacterOrAnOverlongAddress() {
    Random r = new Random(seed());
    long deadline = deadline();
    int runs = 0;
    do {
      String input = r.nextBoolean() ? mutate(r, ADDRESS_SEEDS[r.nextInt(ADDRESS_SEEDS.length)])
          : random(r, 300);
      for (AddressSyntax.Mode mode : AddressSyntax.Mode.values()) {
        Optional<AddressSyntax.Violation> v = AddressSyntax.check(input, mode);
        if (v.isEmpty()) {
          assertThat(Text.firstControl(input)).as("accepted %s", Text.escape(input)).isNegative();
          assertThat(input.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(254);
          assertThat(input).contains("@");
        } else {
          assertThat(Text.firstControl(v.get().detail())).isNegative();
        }
      }
      runs++;
    } while (System.nanoTime() < deadline);
    assertThat(runs).isPositive();
  }

  @Test
  void hugeAddressesAreRefusedWithoutScanningThemWhole() {
    String megabyte = "a".repeat(1 << 20) + "@example.com";
    for (int i = 0; i < 1_000; i++) { // a thousand 1 MB inputs: linear-time checks finish at once
      assertThat(AddressSyntax.check(megabyte, AddressSyntax.Mode.LENIENT)).isPresent();
    }
  }

  private static final String[] KEYS = {"app", "delegate", "dsn.notify", "dsn.ret", "dsn.envid",
      "dsn.require", "dsn.allow-success", "dsn.allow-full", "limit.messages-per-minute",
      "limit.recipients-per-second", "limit.recipients-per-message", "limit.max-wait",
      "limit.domain.example.com.recipients-per-hour", "recipients.allow-domains",
      "recipients.deny-domains", "recipients.on-invalid", "recipients.syntax", "senders.allow-domains",
      "log.show-addresses", "limit.domain..recipients-per-day", "nonsense", "ssl.trust"};
  private static final String[] VALUES = {"0", "10", "-1", "99999999999999999999", "true", "FALSE",
      "5m", "PT1S", "1.5", "", " ", "FAILURE,DELAY", "SUCCESS", "NEVER,FAILURE", "HDRS", "FULL",
      "example.com,*.example.org", "*", "ex ample.com", "strict", "drop-recipient", "smtps"};

  @Test
  void configurationParserAcceptsOrRefusesNamingTheKeyButNeverThrowsAnythingElse() {
    Random r = new Random(seed());
    long deadline = deadline();
    int refused = 0;
    int accepted = 0;
    do {
      Properties p = new Properties();
      int n = 1 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        String key = "mail.mailwarden." + (r.nextInt(5) == 0
            ? mutate(r, KEYS[r.nextInt(KEYS.length)]) : KEYS[r.nextInt(KEYS.length)]);
        String value = r.nextInt(3) == 0 ? mutate(r, VALUES[r.nextInt(VALUES.length)])
            : VALUES[r.nextInt(VALUES.length)];
        p.put(key, value);
      }
      try {
        MailwardenConfig.from(p);
        accepted++;
      } catch (MailwardenConfigurationException e) {
        assertThat(p).containsKey(e.getKey());
        refused++;
      }
    } while (System.nanoTime() < deadline);
    assertThat(accepted + refused).isPositive();
  }
}
