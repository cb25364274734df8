package org.mailwarden.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailwarden.internal.config.Key;
import org.mailwarden.internal.config.Keys;

/**
 * The core's catalogue of keys ({@link Keys}) is the one place a key is declared; this test fails
 * when the starter's properties, their IDE metadata, the README's table or a table in docs/ do not
 * follow it: a key without a Spring property, metadata entry or README row, a default that differs,
 * an enum whose values differ, or a Spring property the core does not know.
 */
class ConfigurationKeysConsistencyTests {

  /** The starter's own switches, which are no session keys: each with what reads it. */
  private static final List<String> STARTER_ONLY = List.of(
      // the auto-configuration's condition
      "mailwarden.enabled",
      // a JVM-wide system property set at start-up (MailwardenStreamProviderEnvironmentPostProcessor)
      "mailwarden.stream-provider.fix");

  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|.*$");

  private static Map<String, Map<String, Object>> metadata;

  @BeforeAll
  static void readMetadata() throws IOException {
    metadata = new LinkedHashMap<>();
    try (InputStream in = ConfigurationKeysConsistencyTests.class
      .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      List<Map<String, Object>> properties = JsonPath.parse(in).read("$.properties[*]");
      properties.forEach((property) -> metadata.put((String) property.get("name"), property));
    }
  }

  @Test
  void everyCoreKeyHasASpringPropertyWithTheCoresDefaultAndValues() {
    List<String> problems = new ArrayList<>();
    for (Key<?> key : Keys.ALL) {
      if (key.springName() == null) {
        if (key.kind() != Key.Kind.OBJECT) {
          problems.add(key + ": no Spring name, but only objects set in code may have none");
        }
        continue;
      }
      if (key.kind() == Key.Kind.PATTERN && key.springName().startsWith("tenants[")) {
        checkTenantRule(key, problems);
        continue;
      }
      if (key.kind() == Key.Kind.PATTERN) {
        checkDomainLimit(key, problems);
        continue;
      }
      Map<String, Object> property = metadata.get("mailwarden." + key.springName());
      if (property == null) {
        problems.add(key + ": no Spring property mailwarden." + key.springName() + " in the metadata");
        continue;
      }
      String expected = literalDefault(key);
      Object actual = property.get("defaultValue");
      if (expected == null && actual != null) {
        problems.add(key + ": the metadata's default is " + actual + ", the core has none");
      }
      else if (expected != null && !expected.equals(text(actual))) {
        problems.add(key + ": the metadata's default is " + text(actual) + ", the core's is " + expected);
      }
      String type = (String) property.get("type");
      if (Stream.of(Boolean.class, Integer.class, Long.class, java.time.Duration.class)
        .anyMatch((t) -> t == key.type()) && !key.type().getName().equals(type)) {
        problems.add(key + ": the Spring property is a " + type + ", the core reads a " + key.type().getName());
      }
      if (!key.allowed().isEmpty()) {
        List<String> values = enumValues(type);
        if (!key.allowed().equals(values)) {
          problems.add(key + ": the Spring property allows " + values + ", the core " + key.allowed());
        }
      }
    }
    assertThat(problems).as("keys of the core that the Spring Boot properties do not follow").isEmpty();
  }

  @Test
  void everySpringPropertyIsACoreKey() {
    List<String> names = Keys.ALL.stream()
      .filter((key) -> key.springName() != null)
      .map((key) -> "mailwarden." + key.springName().replaceAll("\\[<\\w+>\\].*", ""))
      .toList();
    assertThat(metadata.keySet()).filteredOn((name) -> name.startsWith("mailwarden."))
      .filteredOn((name) -> !STARTER_ONLY.contains(name))
      .as("Spring properties without a key in the core").isSubsetOf(names);
  }

  @Test
  void everyCoreKeyHasAReadmeRowWithTheCoresDefault() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String policies = readme.substring(readme.indexOf("\n## Policies"));
    policies = policies.substring(0, policies.indexOf("\n## ", 1));
    Map<String, String> rows = rows(policies);
    List<String> problems = new ArrayList<>();
    for (Key<?> key : Keys.ALL) {
      String cell = rows.get(key.name());
      if (cell == null) {
        problems.add(key + ": no row in the README's table of policies");
      }
      else if (literalDefault(key) != null && !cell.contains("`" + literalDefault(key) + "`")) {
        problems.add(key + ": the README's default is '" + cell.trim() + "', the core's is " + literalDefault(key));
      }
    }
    assertThat(problems).as("keys of the core that the README does not follow").isEmpty();
  }

  @Test
  void keyTablesInDocsStateTheCoresDefaults() throws IOException {
    List<String> problems = new ArrayList<>();
    try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
      for (Path doc : docs.filter((p) -> p.toString().endsWith(".md")).sorted().toList()) {
        rows(Files.readString(doc)).forEach((name, cell) -> {
          Key<?> key = Keys.find(name.startsWith("mailwarden.") ? name.substring("mailwarden.".length()) : name);
          String expected = (key != null) ? literalDefault(key) : null;
          if (expected != null && key.kind() == Key.Kind.VALUE && !cell.contains("`" + expected + "`")) {
            problems.add(doc.getFileName() + ": " + name + " is said to default to '" + cell.trim()
                + "', the core's default is " + expected);
          }
        });
      }
    }
    assertThat(problems).as("defaults in docs/*.md that differ from the core's").isEmpty();
  }

  private static void checkDomainLimit(Key<?> key, List<String> problems) {
    Map<String, Object> map = metadata.get("mailwarden.limit.domain");
    String unit = key.name().substring(key.name().lastIndexOf('.') + 1);
    boolean declared = Arrays.stream(MailwardenProperties.Domain.class.getRecordComponents())
      .map(RecordComponent::getName)
      .anyMatch((name) -> name.equals(camel(unit)));
    if (map == null || !declared) {
      problems.add(key + ": no Spring property mailwarden." + key.springName());
    }
  }

  private static void checkTenantRule(Key<?> key, List<String> problems) {
    // tenants[<tenant>].limit.<what>-per-<unit> or tenants[<tenant>].senders.allow-domains
    String[] path = key.springName().substring("tenants[<tenant>].".length()).split("\\.");
    Class<?> group = Arrays.stream(MailwardenProperties.TenantRules.class.getRecordComponents())
      .filter((c) -> c.getName().equals(camel(path[0])))
      .map(RecordComponent::getType)
      .findFirst()
      .orElse(null);
    boolean declared = group != null && Arrays.stream(group.getRecordComponents())
      .anyMatch((c) -> c.getName().equals(camel(path[1])));
    if (metadata.get("mailwarden.tenants") == null || !declared) {
      problems.add(key + ": no Spring property mailwarden." + key.springName());
    }
  }

  /** Returns the rows of the Markdown tables whose first cell is one key in backticks: key to default cell. */
  private static Map<String, String> rows(String markdown) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : markdown.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        rows.put(row.group(1), row.group(2));
      }
    }
    return rows;
  }

  /** Returns the default as written, or null when the core has no literal one (an empty list included). */
  private static String literalDefault(Key<?> key) {
    return (key.defaultText() == null || key.defaultText().isEmpty()) ? null : key.defaultText();
  }

  private static String text(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return (value != null) ? String.valueOf(value) : null;
  }

  /** Returns the values of the enum a Spring property (or its list) is typed with, as they are written. */
  private static List<String> enumValues(String type) {
    if (type == null) {
      return List.of();
    }
    String name = type.replaceAll("^java\\.util\\.List<(.+)>$", "$1");
    try {
      Class<?> enumType = Class.forName(name);
      return (enumType.isEnum()) ? Arrays.stream(enumType.getEnumConstants()).map(String::valueOf).toList() : List.of();
    }
    catch (ClassNotFoundException ex) {
      return List.of(type + " is not an enum");
    }
  }

  private static String camel(String kebab) {
    StringBuilder out = new StringBuilder();
    for (String part : kebab.split("-")) {
      out.append(out.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

}
