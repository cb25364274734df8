package org.mailwarden.bounce.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * Time-boxed fuzzing of the bounce parser, like {@code HostileInputFuzzTest} does for the address
 * syntax and the configuration: mutated real bounces (the LF, CRLF and CR corpus folders) for 2 s by default,
 * {@code -Dmailwarden.fuzz.seconds=N} for a long run, a random seed printed for replay with
 * {@code -Dmailwarden.fuzz.seed=S}. The parser never throws and never spends long on one input.
 * ({@link BounceParserRobustnessTest} keeps a fixed, seeded batch and the 1 MB / 10,000-part cases.)
 */
class BounceParserFuzzTest {
  /** Far above what any input takes (milliseconds); a catastrophic regex would take minutes. */
  private static final long MAX_MILLIS_PER_INPUT = 5_000;

  @Test
  void mutatedBouncesNeverThrowAndEachIsParsedInBoundedTime() throws Exception {
    List<byte[]> samples = new ArrayList<>();
    for (String folder : List.of("bsd", "dos", "mac")) {
      for (Path p : Corpus.files(folder)) {
        samples.add(Files.readAllBytes(p));
      }
    }
    assertThat(samples).isNotEmpty();
    String s = System.getProperty("mailwarden.fuzz.seed");
    long seed = s == null ? System.nanoTime() : Long.parseLong(s);
    System.out.println("fuzz seed: " + seed);
    Random r = new Random(seed);
    long deadline = System.nanoTime()
        + TimeUnit.SECONDS.toNanos(Long.getLong("mailwarden.fuzz.seconds", 2L));
    int runs = 0;
    long slowest = 0;
    do {
      byte[] input = mutate(samples.get(r.nextInt(samples.size())), r);
      long start = System.nanoTime();
      List<BouncedRecipient> out = BounceParser.parse(input);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(out).isNotNull();
      assertThat(millis).as("input %d of seed %d", runs, seed).isLessThan(MAX_MILLIS_PER_INPUT);
      slowest = Math.max(slowest, millis);
      runs++;
    } while (System.nanoTime() < deadline);
    System.out.println("bounce fuzz: " + runs + " inputs, slowest " + slowest + " ms");
    assertThat(runs).isPositive();
  }

  private static byte[] mutate(byte[] base, Random r) {
    byte[] b = base.clone();
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits && b.length > 0; e++) {
      switch (r.nextInt(4)) {
        case 0 -> b[r.nextInt(b.length)] = (byte) "\r\n:;<>@\"= -.\u0000\u00ff".charAt(r.nextInt(14));
        case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
        case 2 -> { // repeat a slice: long lines, many fields, deep nesting of boundaries
          int from = r.nextInt(b.length);
          int len = Math.min(b.length - from, 1 + r.nextInt(100));
          byte[] slice = Arrays.copyOfRange(b, from, from + len);
          int times = 1 + r.nextInt(500);
          byte[] out = new byte[b.length + len * times];
          System.arraycopy(b, 0, out, 0, from);
          for (int t = 0; t < times; t++) {
            System.arraycopy(slice, 0, out, from + t * len, len);
          }
          System.arraycopy(b, from, out, from + len * times, b.length - from);
          b = out;
        }
        default -> { // splice in pathological text
          byte[] junk = ("<" + "a@".repeat(r.nextInt(2000)) + " 5.1.1 550-" + " ".repeat(r.nextInt(2000))
              + "\n").getBytes(StandardCharsets.US_ASCII);
          int at = r.nextInt(b.length + 1);
          byte[] out = new byte[b.length + junk.length];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(junk, 0, out, at, junk.length);
          System.arraycopy(b, at, out, at + junk.length, b.length - at);
          b = out;
        }
      }
    }
    return b;
  }
}
