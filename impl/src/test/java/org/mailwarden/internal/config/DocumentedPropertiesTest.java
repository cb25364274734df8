package org.mailwarden.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code properties} block of README.md and docs/*.md can be pasted into a .properties file as it
 * is: no value carries a trailing comment or trailing white space, and the core parser accepts its
 * Mailwarden keys ({@code mail.mailwarden.*}, and the Spring Boot form {@code mailwarden.*} translated
 * to it).
 */
class DocumentedPropertiesTest {

  /** The project root: the tests run in impl/. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Block(String where, String text) {
    @Override
    public String toString() {
      return where;
    }
  }

  static List<Block> blocks() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Block> out = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).strip().equals("```properties")) {
          int start = i + 1;
          StringBuilder text = new StringBuilder();
          for (i = start; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
            text.append(lines.get(i)).append('\n');
          }
          out.add(new Block(ROOT.relativize(file) + ":" + start, text.toString()));
        }
      }
    }
    return out;
  }

  static Stream<Arguments> documentedBlocks() throws IOException {
    return blocks().stream().map(Arguments::of);
  }

  @Test
  void theReadmeAndTheDocsHavePropertiesBlocks() throws IOException {
    assertThat(blocks()).extracting(Block::where)
        .anyMatch(w -> w.startsWith("README.md:"))
        .anyMatch(w -> w.startsWith("docs/spring-boot.md:"))
        .hasSizeGreaterThanOrEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentedBlocks")
  void aBlockPastedIntoAPropertiesFileGivesCleanValues(Block block) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(block.text()));
    assertThat(p).isNotEmpty();
    for (String key : p.stringPropertyNames()) {
      String value = p.getProperty(key);
      assertThat(value).as("%s: %s", block, key).doesNotContain("#").isEqualTo(value.strip());
    }
    assertThat(block.text().lines()).as("%s: lines with trailing white space", block)
        .noneMatch(line -> !line.isEmpty() && Character.isWhitespace(line.charAt(line.length() - 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentedBlocks")
  void theCoreParserAcceptsTheMailwardenKeysOfABlock(Block block) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(block.text()));
    Properties core = new Properties();
    for (String key : p.stringPropertyNames()) {
      String coreKey = coreKey(key);
      if (coreKey != null) {
        core.setProperty(coreKey, p.getProperty(key));
      }
    }
    assertThatCode(() -> MailwardenConfig.from(core)).as("%s: %s", block, core).doesNotThrowAnyException();
  }

  /**
   * Returns the session key of a documented key: {@code mail.mailwarden.*} as it is, the Spring Boot
   * form {@code mailwarden.*} with map keys in brackets as dotted names; null for other keys.
   */
  static String coreKey(String key) {
    if (key.startsWith(MailwardenConfig.PREFIX)) {
      return key;
    }
    if (key.startsWith("mailwarden.")) {
      String k = key.substring("mailwarden.".length()).replace("[", ".").replace("]", "");
      // the names the starter spells differently (docs/spring-boot.md, docs/tenants.md)
      k = k.equals("redis.on-failure") ? "store.on-failure" : k;
      if (k.startsWith("tenants.")) {
        // mailwarden.tenants.<tenant>.limit.* is tenant.limit.<tenant>.*; the rest tenant.<tenant>.*
        String rest = k.substring("tenants.".length());
        String tenant = rest.substring(0, rest.indexOf('.'));
        String property = rest.substring(tenant.length() + 1);
        k = property.startsWith("limit.") ? "tenant.limit." + tenant + property.substring("limit".length())
            : "tenant." + tenant + "." + property;
      }
      return MailwardenConfig.PREFIX + k;
    }
    return null;
  }

  @Test
  void aTrailingCommentIsCaught() throws IOException {
    Properties p = new Properties();
    p.load(new StringReader("mail.mailwarden.delegate=smtp   # or smtps\n"));
    assertThat(p.getProperty("mail.mailwarden.delegate")).contains("#");
    Properties core = new Properties();
    core.setProperty(coreKey("mailwarden.limit.domain[gmail.com].recipients-per-minute"), "20");
    assertThat(core).containsKey("mail.mailwarden.limit.domain.gmail.com.recipients-per-minute");
  }
}
