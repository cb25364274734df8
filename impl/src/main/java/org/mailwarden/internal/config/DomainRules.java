package org.mailwarden.internal.config;

import java.net.IDN;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mailwarden.MailwardenConfigurationException;

/**
 * A set of domain patterns: {@code example.com} matches that domain exactly, {@code *.example.org}
 * matches every subdomain of example.org but not example.org itself. Matching ignores case and
 * compares internationalized domains in their A-label form.
 */
public final class DomainRules {
  private static final DomainRules EMPTY = new DomainRules(Set.of(), List.of());

  private final Set<String> exact;
  private final List<String> suffixes;

  private DomainRules(Set<String> exact, List<String> suffixes) {
    this.exact = exact;
    this.suffixes = suffixes;
  }

  /** Returns rules that match nothing. */
  public static DomainRules empty() {
    return EMPTY;
  }

  /** Parses a comma-separated list of patterns for the given key. */
  static DomainRules parse(String key, String value) {
    Set<String> exact = new HashSet<>();
    List<String> suffixes = new java.util.ArrayList<>();
    for (String entry : Values.list(value)) {
      boolean wildcard = entry.startsWith("*.");
      String domain = wildcard ? entry.substring(2) : entry;
      String ascii = normalizeConfigured(key, value, domain);
      if (wildcard) {
        suffixes.add("." + ascii);
      } else {
        exact.add(ascii);
      }
    }
    return new DomainRules(Set.copyOf(exact), List.copyOf(suffixes));
  }

  /** Returns true when no pattern is configured. */
  public boolean isEmpty() {
    return exact.isEmpty() && suffixes.isEmpty();
  }

  /** Returns true when the domain (in any case, U-label or A-label) matches a pattern. */
  public boolean matches(String domain) {
    if (isEmpty()) {
      return false; // the usual case: nothing to normalize the domain for
    }
    String d = normalize(domain);
    if (exact.contains(d)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (d.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** Lower-cases a domain and converts it to its A-label form; unconvertible domains are lower-cased only. */
  public static String normalize(String domain) {
    boolean ascii = true;
    for (int i = 0; i < domain.length(); i++) {
      if (domain.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return domain.toLowerCase(Locale.ROOT);
    }
    try {
      return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return domain.toLowerCase(Locale.ROOT);
    }
  }

  static String normalizeConfigured(String key, String value, String domain) {
    if (domain.isEmpty() || domain.contains("*") || domain.contains("@") || domain.startsWith(".")
        || domain.endsWith(".") || domain.contains("..") || domain.chars().anyMatch(c -> c <= ' ')) {
      throw new MailwardenConfigurationException(key, value, "'" + domain
          + "' is not a domain; expected names such as example.com or *.example.org");
    }
    try {
      return IDN.toASCII(domain).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new MailwardenConfigurationException(key, value, "'" + domain + "' is not a valid domain: "
          + e.getMessage());
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    exact.stream().sorted().forEach(d -> sb.append(sb.length() == 0 ? "" : ",").append(d));
    suffixes.forEach(s -> sb.append(sb.length() == 0 ? "" : ",").append('*').append(s));
    return sb.toString();
  }
}
