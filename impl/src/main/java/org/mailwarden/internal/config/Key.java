package org.mailwarden.internal.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.mailwarden.MailwardenConfigurationException;

/**
 * One Mailwarden configuration key, declared once in {@link Keys}: its name, the type of its parsed
 * value, its default, the values it allows, a description, and how its value is parsed and shown.
 * The parser of {@link MailwardenConfig}, {@link MailwardenConfig#effectivePolicies()}, and (through a
 * test) the Spring Boot properties, their metadata and the README's table all follow from it.
 *
 * @param <T> the type of the parsed value
 */
public final class Key<T> {

  /** How a key is written. */
  public enum Kind {
    /** A fixed name with a text value, such as {@code pool.max-wait=10s}. */
    VALUE,
    /** A family of names, such as {@code limit.domain.<domain>.recipients-per-minute}, with a text value. */
    PATTERN,
    /** A fixed name whose value is an object put into the properties in code, such as {@code listener}. */
    OBJECT
  }

  /** Parses a value for a key, throwing a {@link MailwardenConfigurationException} naming both. */
  @FunctionalInterface
  interface Parser<T, V> {
    T parse(String key, V value);
  }

  private final String name;
  private final Kind kind;
  private final Pattern pattern;
  private final Class<?> type;
  private final String defaultText;
  private final T defaultValue;
  private final List<String> allowed;
  private final String description;
  private final Parser<T, Object> parser;
  private final Function<T, String> format;
  private final String springName;
  private final boolean secret;

  private Key(Builder<T> b) {
    this.name = b.name;
    this.kind = b.kind;
    this.pattern = b.pattern;
    this.type = b.type;
    this.defaultText = b.defaultText;
    this.allowed = List.copyOf(b.allowed);
    this.description = b.description;
    this.parser = b.parser;
    this.format = b.format;
    this.springName = b.springName;
    this.secret = b.secret;
    this.defaultValue = b.defaultText == null ? null : parse(MailwardenConfig.PREFIX + name, b.defaultText);
  }

  static <T> Builder<T> value(String name, Class<?> type, Parser<T, String> parser) {
    return new Builder<T>(name, Kind.VALUE, type, (key, raw) -> parser.parse(key, text(key, raw)));
  }

  static <T> Builder<T> pattern(String template, String regex, Class<?> type, Parser<T, String> parser) {
    Builder<T> b = new Builder<T>(template, Kind.PATTERN, type, (key, raw) -> parser.parse(key, text(key, raw)));
    b.pattern = Pattern.compile(regex);
    return b;
  }

  static <T> Builder<T> object(String name, Class<?> type, Parser<T, Object> parser) {
    return new Builder<T>(name, Kind.OBJECT, type, parser).spring(null);
  }

  /** Returns the name without the {@code mail.mailwarden.} prefix; a template for {@link Kind#PATTERN} keys. */
  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** Returns whether a key name (without prefix) is this key, or one of its family. */
  public boolean matches(String key) {
    return pattern == null ? name.equals(key) : pattern.matcher(key).matches();
  }

  /** Returns the type of the value: {@code Boolean}, {@code Integer}, {@code Long}, {@code Duration}, {@code String}... */
  public Class<?> type() {
    return type;
  }

  /**
   * Returns the default as it is written in the configuration, such as {@code 30s}, or null when
   * there is none or it is not a literal (the system's resolvers, a path under the home folder).
   */
  public String defaultText() {
    return defaultText;
  }

  /** Returns the parsed default, or null when {@link #defaultText()} is null. */
  public T defaultValue() {
    return defaultValue;
  }

  /** Returns the values allowed, for keys with a fixed set of them; empty otherwise. */
  public List<String> allowed() {
    return allowed;
  }

  public String description() {
    return description;
  }

  /**
   * Returns the name of the key under Spring Boot's {@code mailwarden.} prefix (usually the same
   * name), or null when the starter has no property for it (object keys are set in code).
   */
  public String springName() {
    return springName;
  }

  /** Returns whether the value may hold a secret, so it is never shown. */
  public boolean secret() {
    return secret;
  }

  /**
   * Parses a value of this key.
   *
   * @param key the full key as the application wrote it, for error messages
   * @throws MailwardenConfigurationException naming the key and the value when it is malformed
   */
  public T parse(String key, Object value) {
    return parser.parse(key, value);
  }

  /** Returns a parsed value as text, the way {@link MailwardenConfig#effectivePolicies()} shows it. */
  public String format(T value) {
    return format.apply(value);
  }

  @Override
  public String toString() {
    return name;
  }

  private static String text(String key, Object raw) {
    if (raw instanceof Duration d) {
      return d.toMillis() + "ms";
    }
    if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
      return String.valueOf(raw);
    }
    throw new MailwardenConfigurationException(key, String.valueOf(raw),
        "expected a text value, not a " + (raw == null ? "null" : raw.getClass().getName()));
  }

  /** Declares a key; see {@link Keys}. */
  static final class Builder<T> {
    private final String name;
    private final Kind kind;
    private final Class<?> type;
    private final Parser<T, Object> parser;
    private Pattern pattern;
    private String defaultText;
    private List<String> allowed = List.of();
    private String description = "";
    private Function<T, String> format = String::valueOf;
    private String springName;
    private boolean secret;

    private Builder(String name, Kind kind, Class<?> type, Parser<T, Object> parser) {
      this.name = Objects.requireNonNull(name, "name");
      this.kind = kind;
      this.type = type;
      this.parser = parser;
      this.springName = name;
    }

    Builder<T> byDefault(String text) {
      this.defaultText = text;
      return this;
    }

    Builder<T> allowed(List<String> values) {
      this.allowed = values;
      return this;
    }

    Builder<T> format(Function<T, String> format) {
      this.format = format;
      return this;
    }

    Builder<T> spring(String name) {
      this.springName = name;
      return this;
    }

    Builder<T> secret() {
      this.secret = true;
      return this;
    }

    Key<T> describe(String description) {
      this.description = description;
      return new Key<>(this);
    }
  }
}
