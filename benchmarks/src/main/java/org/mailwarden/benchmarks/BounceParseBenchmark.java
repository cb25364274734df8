package org.mailwarden.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.bounce.parser.BounceParser;

/**
 * Bounce parsing rate on one thread: every file of a folder (the Sisimai sample set's {@code maildir/bsd})
 * is read into memory once, parsed for a warm-up, then parsed again round after round; each round prints
 * messages per second.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.mailwarden.benchmarks.BounceParseBenchmark
 * impl/src/test/resources/bounces/maildir/bsd [rounds] [passes per round]}
 */
public final class BounceParseBenchmark {
  private BounceParseBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: BounceParseBenchmark FOLDER [rounds] [passes per round]");
      System.exit(2);
    }
    Path folder = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    List<byte[]> messages = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        messages.add(Files.readAllBytes(p));
      }
    }
    if (messages.isEmpty()) {
      System.err.println("no files in " + folder);
      System.exit(2);
    }
    long sink = 0;
    for (int i = 0; i < 10; i++) {
      sink += parseAll(messages);
    }
    System.out.printf(Locale.ROOT, "%d messages, warmed up with 10 passes%n", messages.size());
    for (int r = 1; r <= rounds; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < passes; i++) {
        sink += parseAll(messages);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      int parsed = messages.size() * passes;
      System.out.printf(Locale.ROOT, "round %d: %d messages in %.2f s = %.0f messages/s%n", r, parsed, seconds,
          parsed / seconds);
    }
    System.out.println("(records found, to keep the work observable: " + sink + ")");
  }

  private static long parseAll(List<byte[]> messages) {
    long records = 0;
    for (byte[] m : messages) {
      List<BouncedRecipient> r = BounceParser.parse(m);
      records += r.size();
    }
    return records;
  }
}
