package org.mailwarden.internal.bounce;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads a JSON document into plain Java values ({@code Map}, {@code List}, {@code String}, numbers,
 * booleans, null) with whichever Jackson is on the class path: Jackson 3 ({@code tools.jackson.core:
 * jackson-databind}, the one Spring Boot 4 brings) or Jackson 2 ({@code com.fasterxml.jackson.core:
 * jackson-databind}). Both are optional dependencies of mailwarden-impl; without either, {@link #find()}
 * returns an {@link Absent} reader, which reads nothing.
 */
interface JsonDocuments {

  /** What to add when no Jackson is on the class path. */
  String MISSING = "com.fasterxml.jackson.core:jackson-databind (Jackson 2) or "
      + "tools.jackson.core:jackson-databind (Jackson 3)";

  /**
   * Returns the first JSON value of {@code text}; the text after it is ignored. Unescaped control
   * characters inside strings are accepted (a mail system may have broken a long line).
   *
   * @throws Exception when the text does not start with a JSON value
   */
  Object read(String text) throws Exception;

  /** Whether this reader can read anything at all. */
  default boolean available() {
    return true;
  }

  /**
   * Whether this is the first time a document could not be read for want of a parser: true once per
   * reader that {@link #available() is not available}, false otherwise.
   */
  default boolean firstMiss() {
    return false;
  }

  /** No Jackson on the class path: every read fails. */
  final class Absent implements JsonDocuments {
    private final java.util.concurrent.atomic.AtomicBoolean missed = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public Object read(String text) {
      throw new IllegalStateException("no JSON parser: add " + MISSING + " to the class path");
    }

    @Override
    public boolean available() {
      return false;
    }

    @Override
    public boolean firstMiss() {
      return missed.compareAndSet(false, true);
    }

    @Override
    public String toString() {
      return "no JSON parser";
    }
  }

  /** Returns the reader of the Jackson on the class path, Jackson 3 first, or an {@link Absent} one. */
  static JsonDocuments find() {
    ClassLoader loader = JsonDocuments.class.getClassLoader();
    return find(name -> {
      try {
        Class.forName(name, false, loader);
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    });
  }

  /** Returns the reader of the first Jackson whose mapper class {@code present} says is there. */
  static JsonDocuments find(Predicate<String> present) {
    if (present.test("tools.jackson.databind.json.JsonMapper")) {
      Optional<JsonDocuments> j = create(Jackson3::new);
      if (j.isPresent()) {
        return j.get();
      }
    }
    if (present.test("com.fasterxml.jackson.databind.json.JsonMapper")) {
      Optional<JsonDocuments> j = create(Jackson2::new);
      if (j.isPresent()) {
        return j.get();
      }
    }
    return new Absent();
  }

  private static Optional<JsonDocuments> create(java.util.function.Supplier<JsonDocuments> constructor) {
    try {
      return Optional.of(constructor.get());
    } catch (LinkageError | RuntimeException e) {
      // a partial or mismatched Jackson (annotations only, an old core): try the other one
      return Optional.empty();
    }
  }

  /** Jackson 3: {@code tools.jackson.databind}. */
  final class Jackson3 implements JsonDocuments {
    private final tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder()
        .enable(tools.jackson.core.json.JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
        .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    @Override
    public Object read(String text) {
      try (tools.jackson.core.JsonParser p = mapper.createParser(text)) {
        return mapper.readValue(p, Object.class);
      }
    }

    @Override
    public String toString() {
      return "Jackson 3";
    }
  }

  /** Jackson 2: {@code com.fasterxml.jackson.databind}. */
  final class Jackson2 implements JsonDocuments {
    private final com.fasterxml.jackson.databind.json.JsonMapper mapper =
        com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Override
    public Object read(String text) throws java.io.IOException {
      try (com.fasterxml.jackson.core.JsonParser p = mapper.createParser(text)) {
        return mapper.readValue(p, Object.class);
      }
    }

    @Override
    public String toString() {
      return "Jackson 2";
    }
  }
}
