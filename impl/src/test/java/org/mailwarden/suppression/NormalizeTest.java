package org.mailwarden.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@link SuppressionList#normalize} against its documented meaning, written out here the plain way
 * (trim, unwrap angle brackets, require local@domain without control characters or white space, lower
 * case): the same result or the same refusal for the 815 labelled addresses and for hand-picked ones
 * around the one-pass shortcut it takes for the usual address.
 */
class NormalizeTest {
  private static final String DATA = "/addresses/policy-labels.jsonl";

  /** The documented meaning, without shortcut; null where normalize must refuse. */
  private static String expected(String address) {
    String a = address.strip();
    if (a.length() >= 2 && a.charAt(0) == '<' && a.charAt(a.length() - 1) == '>') {
      a = a.substring(1, a.length() - 1).strip();
    }
    int at = a.lastIndexOf('@');
    if (at <= 0 || at == a.length() - 1) {
      return null;
    }
    for (char c : a.toCharArray()) {
      if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
        return null;
      }
    }
    return a.toLowerCase(Locale.ROOT);
  }

  private static void assertNormalizedAsDocumented(String address) {
    String expected = expected(address);
    if (expected == null) {
      assertThatThrownBy(() -> SuppressionList.normalize(address)).as(address)
          .isInstanceOf(IllegalArgumentException.class);
    } else {
      assertThat(SuppressionList.normalize(address)).as(address).isEqualTo(expected);
    }
  }

  @Test
  void everyLabelledAddressIsNormalizedAsDocumented() throws IOException {
    List<String> addresses = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (InputStream in = NormalizeTest.class.getResourceAsStream(DATA)) {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          addresses.add(json.readTree(line).get("address").asText());
        }
      }
    }
    assertThat(addresses).hasSizeGreaterThan(800);
    int unchanged = 0;
    for (String address : addresses) {
      assertNormalizedAsDocumented(address);
      unchanged += address.equals(expected(address)) ? 1 : 0;
    }
    assertThat(unchanged).as("addresses already in normal form").isGreaterThan(100);
  }

  @Test
  void addressesAroundTheShortcutAreNormalizedAsDocumented() {
    for (String address : List.of("jane@example.com", "Jane@example.com", "jane@EXAMPLE.COM",
        " jane@example.com", "jane@example.com\t", "<jane@example.com>", "< Jane@Example.com >",
        "<jane@example.com", "jane@example.com>", "@example.com", "jane@", "jane", "@", "a@b",
        "jane@exa mple.com", "jane@example.com\u007f", "jane\r\n@example.com", "jörg@example.com",
        "JÖRG@EXAMPLE.COM", "jane@例え.jp", "a@b@c", "a@b@", "\"a@b\"@example.com", "x@y\u2028",
        "jane@example.com\u00a0", "\u2003jane@example.com", "<>", "", "[a]@b", "A@B")) {
      assertNormalizedAsDocumented(address);
    }
  }

  @Test
  void anAddressAlreadyInNormalFormIsReturnedAsItIs() {
    String address = "jane.doe+news@example.com";
    assertThat(SuppressionList.normalize(address)).isSameAs(address);
  }
}
