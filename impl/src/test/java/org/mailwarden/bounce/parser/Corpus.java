package org.mailwarden.bounce.parser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.internal.bounce.BounceAnalyzer;

/** The Sisimai sample set copied into the test resources (see bounces/PROVENANCE.md). */
final class Corpus {
  private Corpus() {}

  static Path root() {
    URL url = Corpus.class.getResource("/bounces/README.md");
    if (url == null) {
      throw new IllegalStateException("test resources bounces/ are missing");
    }
    try {
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Path> files(String folder) {
    try (Stream<Path> s = Files.list(root().resolve("maildir").resolve(folder))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".eml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<BouncedRecipient> parse(Path file) {
    try {
      return BounceParser.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Analyses a file as the parser does, with the final addresses of forwarded recipients. */
  static BounceAnalyzer.Result analyze(Path file) {
    try {
      byte[] raw = Files.readAllBytes(file);
      return BounceAnalyzer.analyze(raw, raw.length, -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a CSV file with RFC 4180 quoting; the first row is the header. */
  static List<List<String>> csv(Path file) throws IOException {
    String text = Files.readString(file);
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else if (c != '\r') {
        cell.append(c);
      }
    }
    if (cell.length() > 0 || !row.isEmpty()) {
      row.add(cell.toString());
      rows.add(row);
    }
    return rows;
  }
}
