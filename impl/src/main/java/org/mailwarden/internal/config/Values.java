package org.mailwarden.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.MailwardenConfigurationException;

/** Parsers of configuration values; each failure names the key, the value and what is allowed. */
final class Values {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("^(\\d{1,18})(ns|us|ms|s|m|h|d)?$");

  private Values() {}

  static boolean bool(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw new MailwardenConfigurationException(key, value, "expected true or false");
  }

  static long nonNegativeLong(String key, String value) {
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MailwardenConfigurationException(key, value,
        "expected a whole number from 0 (off) to " + Long.MAX_VALUE);
  }

  static int nonNegativeInt(String key, String value) {
    long n = nonNegativeLong(key, value);
    if (n > Integer.MAX_VALUE) {
      throw new MailwardenConfigurationException(key, value,
          "expected a whole number from 0 (off) to " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  /**
   * Parses a duration in the Spring Boot style: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
   * {@code 1d}, a bare number of milliseconds, or ISO-8601 ({@code PT30S}). Negative is refused.
   */
  static Duration duration(String key, String value) {
    String v = value.trim();
    Matcher m = SIMPLE_DURATION.matcher(v.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "ms" : m.group(2);
      try {
        return switch (unit) {
          case "ns" -> Duration.ofNanos(n);
          case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } catch (ArithmeticException e) {
        throw new MailwardenConfigurationException(key, value, "duration too large");
      }
    }
    if (v.length() > 1 && (v.charAt(0) == 'P' || v.charAt(0) == 'p')) {
      try {
        Duration d = Duration.parse(v);
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    throw new MailwardenConfigurationException(key, value,
        "expected a non-negative duration such as 500ms, 30s, 5m, 2h, 1d or PT30S");
  }

  /** Parses a percentage from 0 to 100, with or without a {@code %} sign; returns a fraction. */
  static double percent(String key, String value) {
    String v = value.trim();
    if (v.endsWith("%")) {
      v = v.substring(0, v.length() - 1).trim();
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && d <= 100 && !v.isEmpty() && Character.isDigit(v.charAt(v.length() - 1))) {
        return d / 100;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MailwardenConfigurationException(key, value,
        "expected a percentage from 0 to 100, such as 5% or 0.1%");
  }

  /** Returns one of the allowed values, compared without case; the result is the allowed spelling. */
  static String oneOf(String key, String value, String... allowed) {
    String v = value.trim();
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    throw new MailwardenConfigurationException(key, value,
        "expected one of " + String.join(", ", allowed));
  }

  /** Splits a comma-separated list; blanks between commas are ignored. */
  static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }
}
