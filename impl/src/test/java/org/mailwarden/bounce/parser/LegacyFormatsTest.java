package org.mailwarden.bounce.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * Bounces in the formats of older and less common mail systems (Sendmail, Exim, Postfix without a
 * report part, qmail and vpopmail, Exchange 5.5 to 2010, Domino, GroupWise, Netscape/iPlanet/Sun,
 * IMail, MDaemon, Merak/IceWarp, Kerio, Zimbra, Courier, AOL, Yahoo, Hotmail/MSN, Gmail, CompuServe,
 * X.400 gateways) and in other languages, written here from how those systems word their notices,
 * with made-up addresses. {@code bounces/built/legacy/expected.csv} says, for each file, the
 * recipients the sender used, whether the failure is permanent, a warning or a success notice, and the
 * family of the reason; every row must hold.
 */
class LegacyFormatsTest {
  private static final String DIR = "/bounces/built/legacy/";

  /** One row of the expectations. */
  record Row(String file, Set<String> recipients, String kind, String family) {
    boolean permanent() {
      return kind.equals("permanent");
    }

    @Override
    public String toString() {
      return file;
    }
  }

  /** The reasons each family of the expectations accepts ("-": the reason is not checked). */
  static Set<BounceReason> family(String name) {
    return switch (name) {
      case "user" -> EnumSet.of(BounceReason.USERUNKNOWN);
      case "domain" -> EnumSet.of(BounceReason.HOSTUNKNOWN, BounceReason.NOTACCEPT);
      case "full" -> EnumSet.of(BounceReason.MAILBOXFULL);
      case "disabled" -> EnumSet.of(BounceReason.SUSPEND);
      case "size" -> EnumSet.of(BounceReason.MESGTOOBIG, BounceReason.EXCEEDLIMIT);
      case "policy" -> EnumSet.of(BounceReason.SPAMDETECTED, BounceReason.POLICYVIOLATION, BounceReason.BLOCKED,
          BounceReason.REJECTED, BounceReason.BADREPUTATION, BounceReason.VIRUSDETECTED, BounceReason.FILTERED,
          BounceReason.SECURITYERROR, BounceReason.AUTHFAILURE, BounceReason.REQUIREPTR,
          BounceReason.NOTCOMPLIANTRFC, BounceReason.CONTENTERROR);
      case "-" -> EnumSet.allOf(BounceReason.class);
      default -> throw new IllegalArgumentException("unknown family " + name);
    };
  }

  static List<Row> rows() {
    try (InputStream in = LegacyFormatsTest.class.getResourceAsStream(DIR + "expected.csv")) {
      assertThat(in).as("expected.csv").isNotNull();
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      assertThat(lines.get(0)).isEqualTo("file,recipients,kind,family");
      List<Row> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",", -1);
        Set<String> recipients = new TreeSet<>();
        for (String r : f[1].split(";")) {
          recipients.add(r.strip().toLowerCase(Locale.ROOT));
        }
        assertThat(f[2]).isIn("permanent", "temporary", "success");
        family(f[3]);
        rows.add(new Row(f[0], recipients, f[2], f[3]));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<BouncedRecipient> parse(String file) {
    try (InputStream in = LegacyFormatsTest.class.getResourceAsStream(DIR + file)) {
      assertThat(in).as(file).isNotNull();
      return BounceParser.parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Row> cases() {
    return rows().stream();
  }

  /** What one file gives, measured the way the held-out evaluation measures it. */
  record Outcome(boolean recipients, boolean kind, boolean family) {}

  static Outcome outcome(Row row, List<BouncedRecipient> records) {
    Set<String> got = new TreeSet<>();
    for (BouncedRecipient r : records) {
      got.add(r.recipient().toLowerCase(Locale.ROOT));
    }
    boolean kind = !records.isEmpty();
    boolean reason = !records.isEmpty();
    Set<BounceReason> accepted = family(row.family());
    for (BouncedRecipient r : records) {
      kind &= switch (row.kind()) {
        case "permanent" -> r.action().equals("failed");
        case "temporary" -> r.action().equals("delayed") && !r.hard();
        // a success notice: a record a suppression list ignores, as for a report's Action: delivered
        default -> (r.action().equals("delivered") || r.action().equals("relayed"))
            && r.reason() == BounceReason.DELIVERED && !r.hard();
      };
      reason &= accepted.contains(r.reason());
      if (row.permanent() && (row.family().equals("user") || row.family().equals("domain"))) {
        // the address itself is bad: a permanent user or domain failure must suppress it
        reason &= r.hard();
      }
    }
    return new Outcome(got.equals(row.recipients()), kind, reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachLegacyBounceYieldsItsRecipientsTheirPermanenceAndTheFamilyOfTheReason(Row row) {
    List<BouncedRecipient> records = parse(row.file());
    Outcome o = outcome(row, records);

    assertThat(records).as("records of %s", row.file()).isNotEmpty();
    assertThat(o.recipients()).as("recipients of %s: %s", row.file(), records).isTrue();
    assertThat(o.kind()).as("%s of %s: %s", row.kind(), row.file(), records).isTrue();
    assertThat(o.family()).as("reason family %s of %s: %s", row.family(), row.file(), records).isTrue();
  }

  /**
   * Every file has its row, there are enough of them to mean something, and the figures per measure
   * are written to {@code target/legacy-score.txt} (the misses of a change show there at a glance).
   */
  @Test
  void theCorpusIsCompleteAndItsFiguresAreWritten() throws IOException {
    List<Row> rows = rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(50);
    assertThat(rows.stream().map(Row::file).distinct().count()).isEqualTo(rows.size());
    int recipients = 0;
    int kind = 0;
    int family = 0;
    int familyRows = 0;
    StringBuilder misses = new StringBuilder();
    for (Row row : rows) {
      List<BouncedRecipient> records = parse(row.file());
      Outcome o = outcome(row, records);
      recipients += o.recipients() ? 1 : 0;
      kind += o.kind() ? 1 : 0;
      if (!row.family().equals("-")) {
        familyRows++;
        family += o.family() ? 1 : 0;
      }
      if (!o.recipients() || !o.kind() || !o.family()) {
        misses.append(row.file()).append(": ").append(o).append(' ');
        for (BouncedRecipient r : records) {
          misses.append('[').append(r.recipient()).append(' ').append(r.action()).append(' ')
              .append(r.status()).append(' ').append(r.reason()).append(" hard=").append(r.hard()).append("] ");
        }
        misses.append('\n');
      }
    }
    String figures = String.format(Locale.ROOT,
        "legacy formats: %d files; recipients %d/%d, temporary/permanent/success %d/%d, reason family %d/%d%n",
        rows.size(), recipients, rows.size(), kind, rows.size(), family, familyRows);
    System.out.print(figures);
    Path report = Path.of("target", "legacy-score.txt");
    Files.createDirectories(report.getParent());
    Files.writeString(report, figures + misses);
  }
}
