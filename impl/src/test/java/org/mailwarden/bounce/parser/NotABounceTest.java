package org.mailwarden.bounce.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.internal.suppression.SuppressionRules;

/**
 * Messages that mail systems send back to a sender without a delivery having failed for good (read
 * receipts, success reports, warnings, auto-replies, list notices, challenge-response requests, human
 * replies, newsletters, spam dressed as a daemon), and real bounces that merely use their words.
 * The messages and what each must give are in {@code bounces/built/notbounce/}; its
 * {@code expectations.txt} says which expectation applies to which kind of message, and why.
 */
class NotABounceTest {

  /** Reasons of a refusal of the message itself (a virus, a forbidden attachment, spam, policy). */
  private static final Set<BounceReason> ABOUT_THE_MESSAGE = EnumSet.of(BounceReason.VIRUSDETECTED,
      BounceReason.CONTENTERROR, BounceReason.POLICYVIOLATION, BounceReason.SPAMDETECTED,
      BounceReason.SECURITYERROR);

  record Case(String file, String expectation, String address) {
    @Override
    public String toString() {
      return file + " -> " + expectation + (address == null ? "" : " " + address);
    }
  }

  private static Path folder() {
    return Corpus.root().resolve("built").resolve("notbounce");
  }

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(folder().resolve("expectations.txt"))) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] f = t.split("\\s+");
        out.add(new Case(f[0], f[1], f.length > 2 ? f[2] : null));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void givesWhatTheExpectationsFileSays(Case c) {
    List<BouncedRecipient> records = Corpus.parse(folder().resolve(c.file()));

    switch (c.expectation()) {
      case "nothing" -> assertThat(records).isEmpty();
      case "vacation" -> {
        assertThat(records).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(BounceReason.VACATION));
        suppressesNobody(records);
      }
      case "delivered" -> {
        assertThat(records).isNotEmpty().allSatisfy(r -> {
          assertThat(r.reason()).isEqualTo(BounceReason.DELIVERED);
          assertThat(r.action()).matches("(?i)(delivered|relayed|expanded).*");
        });
        suppressesNobody(records);
      }
      case "delayed" -> {
        assertThat(records).isNotEmpty().allSatisfy(r -> assertThat(r.action()).isEqualToIgnoringCase("delayed"));
        suppressesNobody(records);
      }
      case "refused" -> {
        assertThat(records).singleElement().satisfies(r -> {
          assertThat(r.recipient()).isEqualToIgnoringCase(c.address());
          assertThat(r.action()).isEqualTo("failed");
          assertThat(r.reason()).isIn(ABOUT_THE_MESSAGE);
        });
        suppressesNobody(records);
      }
      case "gaveup" -> assertThat(records).singleElement().satisfies(r -> {
        assertThat(r.recipient()).isEqualToIgnoringCase(c.address());
        assertThat(r.action()).isEqualTo("failed");
        assertThat(r.reason()).isEqualTo(BounceReason.EXPIRED);
        assertThat(r.hard()).isFalse();
        assertThat(SuppressionRules.of(r)).isNotEqualTo(SuppressionRules.Verdict.SUPPRESS);
      });
      case "final" -> assertThat(records).singleElement().satisfies(r -> {
        assertThat(r.recipient()).isEqualToIgnoringCase(c.address());
        assertThat(r.action()).isEqualTo("failed");
        assertThat(r.hard()).isFalse();
        assertThat(SuppressionRules.of(r)).isNotEqualTo(SuppressionRules.Verdict.SUPPRESS);
      });
      case "bounce" -> assertThat(records).singleElement().satisfies(r -> {
        assertThat(r.recipient()).isEqualToIgnoringCase(c.address());
        assertThat(r.action()).isEqualTo("failed");
        assertThat(r.reason()).isEqualTo(BounceReason.USERUNKNOWN);
        assertThat(r.hard()).isTrue();
        assertThat(SuppressionRules.of(r)).isEqualTo(SuppressionRules.Verdict.SUPPRESS);
      });
      default -> throw new IllegalArgumentException("unknown expectation " + c);
    }
  }

  private static void suppressesNobody(List<BouncedRecipient> records) {
    assertThat(records).allSatisfy(r -> {
      assertThat(r.hard()).as("hard").isFalse();
      assertThat(SuppressionRules.of(r)).isEqualTo(SuppressionRules.Verdict.IGNORE);
    });
  }

  @Test
  void everyMessageOfTheFolderHasAnExpectationAndEveryExpectationAMessage() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> s = Files.list(folder())) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")).forEach(files::add);
    }
    Set<String> expected = new TreeSet<>();
    cases().forEach(c -> expected.add(c.file()));

    assertThat(expected).isEqualTo(files);
    assertThat(files).hasSizeGreaterThanOrEqualTo(40);
  }
}
