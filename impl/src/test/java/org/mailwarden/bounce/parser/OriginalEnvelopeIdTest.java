package org.mailwarden.bounce.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.bounce.BouncedRecipient;

/** The 13 samples with an Original-Envelope-Id field give that ENVID on every record. */
class OriginalEnvelopeIdTest {

  static Stream<Arguments> samples() throws IOException {
    List<List<String>> rows = Corpus.csv(Corpus.root().resolve("expected/original-envelope-id.csv"));
    assertThat(rows).hasSize(14);
    return rows.subList(1, rows.size()).stream().map(r -> Arguments.of(r.get(0), r.get(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void theEnvidOfTheReportIsOnEveryRecord(String file, String envid) {
    List<BouncedRecipient> records = Corpus.parse(Corpus.root().resolve(file));
    assertThat(records).isNotEmpty().allSatisfy(r -> assertThat(r.envelopeId()).isEqualTo(envid));
  }
}
