package org.mailwarden;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Mailwarden configuration key has an unknown name or a malformed value. It names the key, the
 * value and what is allowed; Mailwarden never falls back to a default for a malformed value.
 *
 * <p>Thrown at the first use of a session or builder with that configuration.
 */
public class MailwardenConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final @Nullable String value;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param key the full key as the application wrote it, for example {@code mail.mailwarden.app}
   * @param value the value as written, may be null when the key is missing
   * @param problem what is wrong and what is allowed
   */
  public MailwardenConfigurationException(String key, @Nullable String value, String problem) {
    super("Invalid Mailwarden configuration " + key + (value == null ? "" : "='" + value + "'")
        + ": " + problem);
    this.key = Objects.requireNonNull(key, "key");
    this.value = value;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** Returns the key at fault, as the application wrote it. */
  public String getKey() {
    return key;
  }

  /** Returns the value at fault, as the application wrote it, or null when the key was absent. */
  public @Nullable String getValue() {
    return value;
  }

  /**
   * Returns what is wrong with the value and what is allowed, without the key and value, for
   * example {@code "expected true or false"}; for tools that print the key in their own form.
   */
  public String getProblem() {
    return problem;
  }
}
