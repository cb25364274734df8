package org.mailwarden.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No static mutable registry outside {@link Environment}: the main sources of every module are read,
 * and a static field that holds a map, set, list, queue or cache is refused unless it is built by an
 * immutable factory ({@code Map.of}, {@code List.copyOf}, {@code EnumSet.of} held privately, ...). A
 * static field of another type built with a mutable collection or cache ({@code new ConcurrentHashMap},
 * {@code Caffeine.newBuilder()}) is refused too. Lookup tables in arrays, loggers, patterns and
 * thread-local scratch state are not registries and are not looked at.
 */
class StaticStateTest {
  /** Where the JVM-wide state lives: the system environment. */
  private static final String ALLOWED = "org/mailwarden/internal/Environment.java";

  private static final Pattern STATIC_FIELD = Pattern.compile(
      "((?:(?:private|public|protected|final|volatile|transient)\\s+)*)static\\s+"
          + "((?:final\\s+)?)((?:[\\w.]+)(?:\\s*<[^;=(){}]*>)?(?:\\s*\\[\\s*])*)\\s+(\\w+)\\s*(=([^;]*))?;");
  private static final Pattern COLLECTION_TYPE = Pattern.compile(
      "(?:[\\w.]*\\.)?(?:\\w*Map|\\w*Set|\\w*List|Collection|\\w*Queue|\\w*Deque|\\w*Cache|Multimap|Table)");
  private static final Pattern IMMUTABLE = Pattern.compile(
      "\\s*(?:java\\.util\\.)?(?:(?:Map|List|Set)\\.(?:of|ofEntries|copyOf)\\s*\\(|"
          + "Collections\\.(?:unmodifiable\\w+|empty\\w+|singleton\\w*)\\s*\\(|EnumSet\\.(?:of|range|allOf|noneOf)\\s*\\()"
          + "[\\s\\S]*");
  private static final Pattern MUTABLE_INITIALIZER = Pattern.compile(
      "new\\s+(?:java\\.util\\.(?:concurrent\\.)?)?(?:\\w*Map|\\w*Set|\\w*List|\\w*Queue|\\w*Deque)\\s*[<(]"
          + "|Caffeine\\s*\\.\\s*newBuilder|CacheBuilder\\s*\\.\\s*newBuilder");

  @Test
  void noModuleHoldsAStaticMutableRegistryOutsideTheEnvironment() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<Path> sources = mainSources(root);
    assertThat(sources).as("main sources found under " + root).hasSizeGreaterThan(100);
    List<String> found = new ArrayList<>();
    for (Path source : sources) {
      if (source.toString().replace('\\', '/').endsWith(ALLOWED)) {
        continue;
      }
      for (String field : registries(Files.readString(source))) {
        found.add(root.relativize(source) + ": " + field);
      }
    }
    assertThat(found).as("static mutable registries (move them into Environment)").isEmpty();
  }

  @Test
  void theCheckFindsAStaticMutableMapCacheOrListAndLetsImmutableConstantsPass() {
    String source = """
        class Sample {
          private static final ConcurrentHashMap<String, Object> APPS = new ConcurrentHashMap<>();
          private static final Cache<Session, Engine> ENGINES =
              Caffeine.newBuilder().weakKeys().build();
          static final List<String> NAMES = new ArrayList<>();
          private static final Object REGISTRY = new java.util.HashMap<String, String>();
          private static Map<String, String> late;
          private static final Map<String, String> ARTIFACTS = Map.of("redis", "mailwarden-redis");
          private static final Set<BounceReason> SENDER_SIDE = EnumSet.of(BounceReason.BLOCKED);
          private static final List<String> COPY = List.copyOf(build());
          private static final Pattern WORD = Pattern.compile("\\\\w+");
          private static final String[] UNITS = {"ms", "s"};
          private final Map<String, String> perInstance = new HashMap<>();
          static Map<String, String> factory() { return new HashMap<>(); }
        }
        """;

    assertThat(registries(source)).containsExactly("APPS", "ENGINES", "NAMES", "REGISTRY", "late");
  }

  /** Returns the names of the static fields of a source that are mutable registries. */
  static List<String> registries(String source) {
    String code = withoutComments(source);
    List<String> found = new ArrayList<>();
    Matcher m = STATIC_FIELD.matcher(code);
    while (m.find()) {
      String type = m.group(3).replaceAll("\\s*<[\\s\\S]*", "");
      String name = m.group(4);
      String initializer = m.group(6);
      boolean collection = COLLECTION_TYPE.matcher(type).matches();
      if (collection && (initializer == null || !IMMUTABLE.matcher(initializer).matches())) {
        found.add(name);
      } else if (!collection && initializer != null && MUTABLE_INITIALIZER.matcher(initializer).find()) {
        found.add(name);
      }
    }
    return found;
  }

  private static String withoutComments(String source) {
    return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)//.*$", "")
        .replaceAll("\"\"\"[\\s\\S]*?\"\"\"", "\"\"").replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
  }

  private static List<Path> mainSources(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> {
            String s = root.relativize(p).toString().replace('\\', '/');
            return s.contains("/src/main/java/") && !s.contains("/target/");
          })
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
