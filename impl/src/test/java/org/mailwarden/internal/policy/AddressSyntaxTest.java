package org.mailwarden.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailwarden.RecipientReason;
import org.mailwarden.internal.policy.AddressSyntax.Mode;
import org.mailwarden.internal.policy.AddressSyntax.Violation;

/**
 * {@link AddressSyntax} against the external labelled data set in {@code addresses/} (see its
 * README.md and PROVENANCE.md), plus focused tests of single rules.
 */
class AddressSyntaxTest {

  private static final String DATA = "/addresses/policy-labels.jsonl";
  private static final List<LabelledAddress> LABELS = readLabels();

  /** One line of policy-labels.jsonl. */
  private record LabelledAddress(
      String source, String id, String address, boolean strict, boolean lenient, String reason) {}

  // ------------------------------------------------------------------ the data set

  @TestFactory
  Stream<DynamicTest> agreesWithEveryLabelInBothModes() {
    return LABELS.stream()
        .map(
            label ->
                dynamicTest(
                    label.source() + "/" + label.id(),
                    () -> {
                      assertAgrees(label, Mode.STRICT, label.strict());
                      assertAgrees(label, Mode.LENIENT, label.lenient());
                    }));
  }

  @Test
  void dataSetHas815AddressesAndNoneLabelledFalseIsAccepted() {
    assertThat(LABELS).hasSize(815);
    List<String> acceptedStrict = new ArrayList<>();
    List<String> acceptedLenient = new ArrayList<>();
    for (LabelledAddress label : LABELS) {
      if (!label.strict() && AddressSyntax.check(label.address(), Mode.STRICT).isEmpty()) {
        acceptedStrict.add(label.source() + "/" + label.id());
      }
      if (!label.lenient() && AddressSyntax.check(label.address(), Mode.LENIENT).isEmpty()) {
        acceptedLenient.add(label.source() + "/" + label.id());
      }
    }
    assertThat(acceptedStrict).as("labelled false but accepted by STRICT").isEmpty();
    assertThat(acceptedLenient).as("labelled false but accepted by LENIENT").isEmpty();
  }

  // ------------------------------------------------------------------ focused rules

  @Test
  void typicalAddressesAreAccepted() {
    assertAccepted("jane.doe@example.com", Mode.STRICT);
    assertAccepted("user+tag@mail.example.co.uk", Mode.STRICT);
    assertAccepted("Jane.Doe@EXAMPLE.COM", Mode.STRICT);
    assertAccepted("o'brien@example.ie", Mode.STRICT);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void crlfIsControlCharacter(Mode mode) {
    Violation violation = refused("jane@example.com\r\nRCPT TO:<victim@example.org>", mode);

    assertThat(violation.reason()).isEqualTo(RecipientReason.CONTROL_CHARACTER);
    assertThat(violation.detail()).contains("\\u000D").doesNotContain("\r", "\n");
  }

  @ParameterizedTest
  @MethodSource("controlCharacters")
  void everyControlCharacterIsRefusedAndEscaped(int codePoint) {
    String control = String.valueOf((char) codePoint);
    List<String> addresses =
        List.of(
            "ja" + control + "ne@example.com",
            "\"ja" + control + "ne\"@example.com",
            "jane@exa" + control + "mple.com",
            "jane@example.com" + control);
    for (String address : addresses) {
      for (Mode mode : Mode.values()) {
        Violation violation = refused(address, mode);
        assertThat(violation.reason()).isEqualTo(RecipientReason.CONTROL_CHARACTER);
        assertThat(violation.detail())
            .contains(String.format("\\u%04X", codePoint))
            .doesNotContain(control);
      }
    }
  }

  static IntStream controlCharacters() {
    return IntStream.concat(
        IntStream.concat(IntStream.range(0x00, 0x20), IntStream.rangeClosed(0x7F, 0x9F)),
        IntStream.of(0x2028, 0x2029));
  }

  @Test
  void localPartOver64OctetsIsLength() {
    assertAccepted("a".repeat(64) + "@example.com", Mode.STRICT);
    assertRefused("a".repeat(65) + "@example.com", Mode.STRICT, RecipientReason.LENGTH);
    // Octets, not characters: U+00E9 is two octets in UTF-8.
    assertAccepted("\u00e9".repeat(32) + "@example.com", Mode.STRICT);
    assertRefused("\u00e9".repeat(33) + "@example.com", Mode.STRICT, RecipientReason.LENGTH);
  }

  @Test
  void pathOver254OctetsIsLength() {
    String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + ".com"; // 195
    assertAccepted("a".repeat(58) + "@" + domain, Mode.STRICT); // 254
    assertRefused("a".repeat(59) + "@" + domain, Mode.STRICT, RecipientReason.LENGTH);
  }

  @Test
  void oneMegabyteInputIsRefusedQuickly() {
    String huge = "a".repeat(1 << 20) + "@example.com";
    String hugeWithCrlf = "jane@example.com\r\n" + "\u00e9".repeat(1 << 20);
    assertTimeoutPreemptively(
        Duration.ofMillis(200),
        () -> {
          for (Mode mode : Mode.values()) {
            assertThat(refused(huge, mode).reason()).isEqualTo(RecipientReason.LENGTH);
            assertThat(refused(hugeWithCrlf, mode).reason()).isEqualTo(RecipientReason.LENGTH);
          }
        });
  }

  @Test
  void quotedLocalPartRefusedStrictAcceptedLenient() {
    assertRefused("\"jane doe\"@example.com", Mode.STRICT, RecipientReason.QUOTED_LOCAL_PART);
    assertAccepted("\"jane doe\"@example.com", Mode.LENIENT);
    assertAccepted("\"jane\\\"doe\"@example.com", Mode.LENIENT);
    assertRefused("\"jane\"doe\"@example.com", Mode.LENIENT, RecipientReason.SYNTAX);
    assertRefused("\"jane\\\u00e9\"@example.com", Mode.LENIENT, RecipientReason.SYNTAX);
  }

  @Test
  void addressLiteralRefusedStrictGlobalOneAcceptedLenient() {
    for (String address : List.of("jane@[12.34.56.78]", "jane@[IPv6:2606:4700::1111]")) {
      assertRefused(address, Mode.STRICT, RecipientReason.ADDRESS_LITERAL);
      assertAccepted(address, Mode.LENIENT);
    }
    assertRefused("jane@[IPv6:1111:2222:3333:4444:5555:6666::8888]", Mode.LENIENT,
        RecipientReason.SYNTAX);
    assertRefused("jane@[1.2.3.256]", Mode.LENIENT, RecipientReason.SYNTAX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[0.0.0.0]", "[10.1.2.3]", "[100.64.0.1]", "[127.0.0.1]", "[169.254.169.254]",
        "[172.16.0.1]", "[192.168.1.1]", "[192.0.2.1]", "[198.51.100.7]", "[203.0.113.9]",
        "[224.0.0.1]", "[255.255.255.255]", "[010.0.0.1]",
        "[IPv6:::]", "[IPv6:::1]", "[IPv6:fe80::1]", "[IPv6:fc00::1]", "[IPv6:fd12:3456::1]",
        "[IPv6:ff02::1]", "[IPv6:2001:db8::1]", "[IPv6:::ffff:127.0.0.1]",
        "[IPv6:64:ff9b::10.0.0.1]"
      })
  void privateIpLiteralRefusedEvenLenient(String literal) {
    assertRefused("jane@" + literal, Mode.LENIENT, RecipientReason.ADDRESS_LITERAL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane@example.test", "jane@EXAMPLE.TEST", "jane@host.localhost", "jane@localhost",
        "jane@printer.local", "jane@nowhere.invalid", "jane@1.0.0.127.in-addr.arpa",
        "jane@abcdefghijklmnop.onion", "jane@name.alt"
      })
  void specialUseTldRefused(String address) {
    for (Mode mode : Mode.values()) {
      assertRefused(address, mode, RecipientReason.SPECIAL_USE_DOMAIN);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane@example", "jane@192.168.0.1", "jane@example.c", "jane@example.co-uk",
        "jane@-example.com", "jane@example..com", "jane@example.com.", "jane@exam_ple.com",
        "jane@x234567890123456789012345678901234567890123456789012345678901234.com",
        "jane@example.com (Jane Doe)"
      })
  void badDomainIsInvalidDomain(String address) {
    assertRefused(address, Mode.STRICT, RecipientReason.INVALID_DOMAIN);
  }

  @Test
  void internationalizedDomainMustBeIdna2008() {
    assertAccepted("jane@b\u00fccher.de", Mode.STRICT);
    assertAccepted("jane@B\u00fccher.de", Mode.STRICT);
    assertAccepted("jane@xn--bcher-kva.de", Mode.STRICT);
    assertAccepted("jane@fa\u00df.de", Mode.STRICT);
    // Not in IDNA2008 form: an upper-case U-label, full-width letters, an ideographic full stop.
    assertRefused("jane@B\u00dcCHER.de", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    assertRefused("jane@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com", Mode.STRICT,
        RecipientReason.INVALID_DOMAIN);
    assertRefused("jane@example\u3002com", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    // Symbols that UTS #46 allows but IDNA2008 does not, and a bad A-label.
    assertRefused("jane@\ud83d\ude80.kz", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    assertRefused("jane@xn--example.com", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
  }

  @Test
  void unicodeLocalPartMustBeNfcLettersMarksAndDigits() {
    assertAccepted("jos\u00e9@example.com", Mode.STRICT);
    assertAccepted("\u0938\u0902\u092a\u0930\u094d\u0915@example.com", Mode.STRICT);
    assertRefused("jose\u0301@example.com", Mode.STRICT, RecipientReason.SYNTAX); // not NFC
    for (String symbol : List.of("\u00a9", "\u20ac", "\u2014", "\u201c", "\u00a0", "\u200b",
        "\u202e", "\ud83d\ude00", "\ud800")) {
      assertRefused("ja" + symbol + "ne@example.com", Mode.STRICT, RecipientReason.SYNTAX);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane(comment)@example.com", "Jane Doe <jane@example.com>", "jane doe@example.com",
        "=?utf-8?q?jane?=@example.com", "jane..doe@example.com", ".jane@example.com",
        "jane.@example.com", "jane@doe@example.com", "jane", "@example.com", "jane@", ""
      })
  void commentsDisplayNamesEncodedWordsAndBadShapesAreSyntax(String address) {
    for (Mode mode : Mode.values()) {
      assertRefused(address, mode, RecipientReason.SYNTAX);
    }
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThatNullPointerException().isThrownBy(() -> AddressSyntax.check(null, Mode.STRICT));
    assertThatNullPointerException().isThrownBy(() -> AddressSyntax.check("a@example.com", null));
  }

  // ------------------------------------------------------------------ helpers

  private static void assertAgrees(LabelledAddress label, Mode mode, boolean expected) {
    Optional<Violation> result = AddressSyntax.check(label.address(), mode);
    assertThat(result.isEmpty())
        .as("%s of %s (label reason: %s) gave %s", mode, escape(label.address()), label.reason(),
            result.map(Violation::toString).orElse("accepted"))
        .isEqualTo(expected);
  }

  private static void assertAccepted(String address, Mode mode) {
    assertThat(AddressSyntax.check(address, mode)).as("%s of %s", mode, escape(address)).isEmpty();
  }

  private static void assertRefused(String address, Mode mode, RecipientReason reason) {
    assertThat(refused(address, mode).reason())
        .as("%s of %s", mode, escape(address))
        .isEqualTo(reason);
  }

  private static Violation refused(String address, Mode mode) {
    Optional<Violation> result = AddressSyntax.check(address, mode);
    assertThat(result).as("%s of %s", mode, escape(address)).isPresent();
    return result.orElseThrow();
  }

  /** Shows an address in a message with everything outside printable ASCII escaped. */
  private static String escape(String address) {
    StringBuilder escaped = new StringBuilder(Math.min(address.length(), 300));
    for (int i = 0; i < address.length() && escaped.length() < 300; i++) {
      char c = address.charAt(i);
      escaped.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return escaped.toString();
  }

  private static List<LabelledAddress> readLabels() {
    ObjectMapper json = new ObjectMapper();
    List<LabelledAddress> labels = new ArrayList<>();
    try (InputStream in = AddressSyntaxTest.class.getResourceAsStream(DATA)) {
      if (in == null) {
        throw new IllegalStateException(DATA + " is not on the test classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        labels.add(
            new LabelledAddress(
                node.get("source").asText(),
                node.get("id").asText(),
                node.get("address").asText(),
                node.get("guard_strict").asBoolean(),
                node.get("guard_lenient").asBoolean(),
                node.get("reason").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(labels);
  }
}
