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

  // ------------------------------------------------------------------ IDN lengths (issue 14)

  /** Eight CJK characters: 24 octets in UTF-8, 30 as the A-label xn--fiqu43as1h72iu2pfnai1mk45a. */
  private static final String CJK_LABEL = "\u4e2d\u6587\u5b57\u7b26\u6e2c\u8a66\u7db2\u7ad9";

  @Test
  void labelOver63OctetsInALabelFormIsRefusedThoughItsUnicodeFits() {
    String fits = "b\u00fccher" + "x".repeat(50); // xn--bcher...-pxf: 63 octets
    String tooLong = "b\u00fccher" + "x".repeat(51); // 57 characters, 58 octets; A-label 64
    assertAccepted("jane@" + fits + ".de", Mode.STRICT);
    assertAccepted("jane@xn--bcher" + "x".repeat(50) + "-pxf.de", Mode.STRICT);
    assertThat(refused("jane@" + tooLong + ".de", Mode.STRICT))
        .extracting(Violation::reason, Violation::detail)
        .containsExactly(
            RecipientReason.INVALID_DOMAIN,
            "a domain label is longer than 63 octets in its A-label form");
  }

  @Test
  void pathOver254OctetsWithTheDomainInALabelFormIsLength() {
    String domain = (CJK_LABEL + ".").repeat(7) + "cn"; // 177 octets in UTF-8, 219 as A-labels
    String fits = "a".repeat(34) + "@" + domain; // 254 octets on the wire as A-labels
    String tooLong = "a".repeat(35) + "@" + domain; // 255 as A-labels, 213 in UTF-8
    assertThat(tooLong.getBytes(StandardCharsets.UTF_8)).hasSizeLessThan(254);

    assertAccepted(fits, Mode.STRICT);
    assertThat(refused(tooLong, Mode.STRICT))
        .extracting(Violation::reason, Violation::detail)
        .containsExactly(
            RecipientReason.LENGTH,
            "the address is longer than 254 octets with its domain in A-label form");
  }

  @Test
  void domainOver253OctetsInALabelFormIsLengthThoughItsUnicodeFits() {
    String domain = (CJK_LABEL + ".").repeat(9) + "cn"; // 227 octets in UTF-8, 281 as A-labels
    assertThat(domain.getBytes(StandardCharsets.UTF_8)).hasSizeLessThan(253);
    assertRefused("a@" + domain, Mode.STRICT, RecipientReason.LENGTH);
    assertRefused("a@" + domain, Mode.LENIENT, RecipientReason.LENGTH);
  }

  @Test
  void pathIsAlsoMeasuredInUtf8WhenThatIsTheLongerForm() {
    // 30 x U+00E9 is 60 octets in UTF-8 but only 36 as the A-label xn--9caaa...a: a server with
    // SMTPUTF8 gets the UTF-8 form, so the path must fit in both.
    String label = "\u00e9".repeat(30);
    String domain = (label + ".").repeat(5) + "fr"; // 307 octets in UTF-8, 187 as A-labels
    assertAccepted("a@" + (label + ".").repeat(4) + "fr", Mode.STRICT); // 248 octets in UTF-8
    assertRefused("a@" + domain, Mode.STRICT, RecipientReason.LENGTH);
  }

  // ------------------------------------------------------------------ hyphens and A-labels

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane@ab--cd.com", "jane@AB--CD.com", "jane@mail.r3--x.example.com", "jane@example.ab--cd",
        "jane@12--34.com", "jane@xn--.com", "jane@ab--c\u00fc.de", "jane@xn--ab--c-ova.de"
      })
  void labelWithHyphensInThirdAndFourthPositionsIsReservedUnlessALabel(String address) {
    for (Mode mode : Mode.values()) {
      assertRefused(address, mode, RecipientReason.INVALID_DOMAIN);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane@c--n.com", "jane@a-b-c.com", "jane@exa--mple.com", "jane@a--b.com",
        "jane@xn--bcher-kva.de", "jane@XN--BCHER-KVA.de", "jane@example.xn--p1ai",
        "jane@xn--hxajbheg2az3al.xn--jxalpdlp"
      })
  void hyphensElsewhereAndTrueALabelsAreAccepted(String address) {
    assertAccepted(address, Mode.STRICT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "xn--abc.com", // not Punycode
        "xn---tda.de", // a delimiter with no basic code points before it
        "xn--a.com", // truncated
        "xn--wca.de", // decodes to an upper-case U+00DC, not a U-label
        "xn--u-ccb.de", // decodes to u + U+0308, not NFC
        "xn--ls8h.de", // decodes to a pile of poo, a symbol
        "xn--abc-jdc.de", // decodes to a leading combining mark
        "xn--ab-j1t.de" // decodes to a ZERO WIDTH NON-JOINER outside its context
      })
  void fakeALabelIsRefused(String domain) {
    assertRefused("jane@" + domain, Mode.STRICT, RecipientReason.INVALID_DOMAIN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-b\u00fccher.de", "b\u00fccher-.de", "-example.com", "example-.com", "a--.com",
        "xn--tda-.de"
      })
  void labelStartingOrEndingWithHyphenIsRefused(String domain) {
    assertRefused("jane@" + domain, Mode.STRICT, RecipientReason.INVALID_DOMAIN);
  }

  // ------------------------------------------------------------------ IDNA2008 rules

  @Test
  void leadingCombiningMarkIsRefused() {
    // DEVANAGARI VOWEL SIGN I (a spacing mark) after KA, and before it.
    assertAccepted("jane@\u0915\u093f.in", Mode.STRICT);
    assertRefused("jane@\u093f\u0915.in", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    assertRefused("jane@\u0301abc.de", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
  }

  @Test
  void contextJRulesOfRfc5892AppendixA() {
    // ZERO WIDTH NON-JOINER only after a virama (or between joining letters).
    assertAccepted("jane@\u0915\u094d\u200c\u0937.in", Mode.STRICT);
    assertRefused("jane@a\u200cb.de", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    // ZERO WIDTH JOINER only after a virama.
    assertAccepted("jane@\u0915\u094d\u200d\u0937.in", Mode.STRICT);
    assertRefused("jane@a\u200db.de", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
  }

  @Test
  void contextORulesOfRfc5892AppendixA() {
    // MIDDLE DOT between two l (Catalan).
    assertAccepted("jane@l\u00b7l.cat", Mode.STRICT);
    assertRefused("jane@a\u00b7b.de", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    // GREEK LOWER NUMERAL SIGN (keraia) before a Greek letter.
    assertAccepted("jane@\u03b1\u0375\u03b1.gr", Mode.STRICT);
    assertRefused("jane@\u0375a.gr", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    // HEBREW PUNCTUATION GERESH after a Hebrew letter.
    assertAccepted("jane@\u05d0\u05f3.il", Mode.STRICT);
    assertRefused("jane@a\u05f3.il", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    // KATAKANA MIDDLE DOT with Hiragana, Katakana or Han in the label.
    assertAccepted("jane@\u30a2\u30fb.jp", Mode.STRICT);
    assertRefused("jane@\u30fb.jp", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    // Arabic-Indic and Extended Arabic-Indic digits are not mixed.
    assertAccepted("jane@\u06f1\u06f2.ir", Mode.STRICT);
    assertRefused("jane@\u0628\u0661\u06f1.eg", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
  }

  @Test
  void bidiRuleOfRfc5893() {
    assertAccepted("jane@abc.\u05e2\u05d1\u05e8\u05d9\u05ea", Mode.STRICT);
    assertAccepted("jane@\u05e2\u05d1\u05e8\u05d9\u05ea1.il", Mode.STRICT);
    // An LTR label starting with a digit in a domain with an RTL label; RTL mixed with L.
    assertRefused("jane@1abc.\u05e2\u05d1\u05e8\u05d9\u05ea", Mode.STRICT,
        RecipientReason.INVALID_DOMAIN);
    assertRefused("jane@\u05e2\u05d1a.il", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\u00adb.de", // SOFT HYPHEN, default ignorable
        "a\u180bb.mn", // MONGOLIAN FREE VARIATION SELECTOR ONE, default ignorable
        "\u17b4a.kh", // KHMER VOWEL INHERENT AQ, default ignorable
        "\u1100\u1161.kr", // conjoining Hangul jamo (not NFC; RFC 5892 2.9)
        "a\u20d7b.de" // COMBINING RIGHT ARROW ABOVE, an IgnorableBlock (RFC 5892 2.5)
      })
  void codePointsDisallowedByRfc5892AreRefused(String domain) {
    assertRefused("jane@" + domain, Mode.STRICT, RecipientReason.INVALID_DOMAIN);
  }

  @Test
  void topLevelDomainOfDigitsOnlyIsRefusedInAnyScript() {
    assertRefused("jane@example.123", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    assertRefused("jane@b\u00fccher.123", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    assertRefused("jane@example.\u0967\u0968", Mode.STRICT, RecipientReason.INVALID_DOMAIN);
    assertAccepted("jane@123.example.com", Mode.STRICT);
    assertAccepted("jane@example.\u0440\u0444", Mode.STRICT);
    assertAccepted("jane@example.xn--p1ai", Mode.STRICT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane@example.com.", "jane@.example.com", "jane@example..com", "jane@b\u00fccher.de.",
        "jane@b\u00fccher..de", "jane@example.c", "jane@example.c0m", "jane@com"
      })
  void emptyLabelsTrailingDotAndNonAlphabeticTopLevelDomainAreRefused(String address) {
    for (Mode mode : Mode.values()) {
      assertRefused(address, mode, RecipientReason.INVALID_DOMAIN);
    }
  }

  // ------------------------------------------------------------------ IPv4 in IPv6 literals

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[IPv6:::127.0.0.1]", "[IPv6:::7f00:1]", "[IPv6:::10.0.0.1]", "[IPv6:::192.168.1.1]",
        "[IPv6:::169.254.169.254]", "[IPv6:::100.64.0.1]", "[IPv6:::224.0.0.1]",
        "[IPv6:::255.255.255.255]", "[ipv6:0:0:0:0:0:0:172.16.0.1]"
      })
  void ipv4CompatibleLiteralNamingANonGlobalIpv4AddressIsRefused(String literal) {
    Violation violation = refused("jane@" + literal, Mode.LENIENT);
    assertThat(violation.reason()).isEqualTo(RecipientReason.ADDRESS_LITERAL);
    assertThat(violation.detail()).contains("IPv4-compatible form of a");
  }

  @Test
  void ipv4CompatibleLiteralNamingAGlobalIpv4AddressIsAccepted() {
    assertAccepted("jane@[IPv6:::12.34.56.78]", Mode.LENIENT);
    assertAccepted("jane@[IPv6:::c22:384e]", Mode.LENIENT);
    // ::/104 is not the IPv4-compatible form: 0.0.0.0/8 is no unicast address (labelled data).
    assertAccepted("jane@[IPv6:::b4]", Mode.LENIENT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[IPv6:::ffff:127.0.0.1]", "[IPv6:::ffff:7f00:1]", "[IPv6:::ffff:10.0.0.1]",
        "[IPv6:::ffff:12.34.56.78]", "[IPv6:0:0:0:0:0:ffff:8.8.8.8]"
      })
  void ipv4MappedLiteralIsNeverGloballyReachable(String literal) {
    Violation violation = refused("jane@" + literal, Mode.LENIENT);
    assertThat(violation.reason()).isEqualTo(RecipientReason.ADDRESS_LITERAL);
    assertThat(violation.detail()).contains("IPv4-mapped");
  }

  /**
   * Every range of the IANA IPv4 and IPv6 special-purpose registries that is not globally
   * reachable, plus multicast and class E, at both ends of the range.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0", "0.255.255.255", "10.0.0.0", "10.255.255.255", "100.64.0.0", "100.127.255.255",
        "127.0.0.0", "127.255.255.255", "169.254.0.0", "169.254.255.255", "172.16.0.0",
        "172.31.255.255", "192.0.0.0", "192.0.0.8", "192.0.0.170", "192.0.0.255", "192.0.2.0",
        "192.0.2.255", "192.88.99.0", "192.88.99.255", "192.168.0.0", "192.168.255.255",
        "198.18.0.0", "198.19.255.255", "198.51.100.0", "198.51.100.255", "203.0.113.0",
        "203.0.113.255", "224.0.0.0", "239.255.255.255", "240.0.0.0", "255.255.255.255",
        "IPv6:::", "IPv6:::1", "IPv6:::ffff:0:0", "IPv6:::ffff:ffff:ffff", "IPv6:64:ff9b:1::",
        "IPv6:64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "IPv6:100::", "IPv6:100::ffff:ffff:ffff:ffff",
        "IPv6:100:0:0:1::", "IPv6:2001::", "IPv6:2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "IPv6:2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "IPv6:2001:2::1", "IPv6:2001:10::1",
        "IPv6:2001:db8::", "IPv6:2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "IPv6:2002::1",
        "IPv6:2002:c000:204::1", "IPv6:3fff::", "IPv6:3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff",
        "IPv6:5f00::1", "IPv6:fc00::", "IPv6:fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "IPv6:fe80::", "IPv6:febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "IPv6:fec0::1",
        "IPv6:ff00::", "IPv6:ff02::1", "IPv6:64:ff9b::192.168.0.1", "IPv6:64:ff9b::7f00:1"
      })
  void everySpecialPurposeRangeThatIsNotGloballyReachableIsRefused(String literal) {
    assertRefused("jane@[" + literal + "]", Mode.LENIENT, RecipientReason.ADDRESS_LITERAL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
        "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.0",
        "192.0.3.0", "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0",
        "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0", "203.0.112.255",
        "203.0.114.0", "223.255.255.255", "IPv6:2001:200::1", "IPv6:2001:db9::1", "IPv6:2003::1",
        "IPv6:3fff:1000::1", "IPv6:2606:4700::1111", "IPv6:64:ff9b::8.8.8.8",
        "IPv6:64:ff9b:2::1"
      })
  void addressesJustOutsideTheSpecialPurposeRangesAreAccepted(String literal) {
    assertAccepted("jane@[" + literal + "]", Mode.LENIENT);
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
