package org.mailwarden.internal.util;

import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders addresses for logs: masked by default ({@code j***@example.com}: the first character of the
 * local part and the domain), in full only when the application opted in. Control characters are
 * always escaped, so a log line can never be split by an address.
 */
public final class Masking {
  private Masking() {}

  /** Renders one address, masked unless {@code show} is true. */
  public static String address(String address, boolean show) {
    if (address == null) {
      return "<none>";
    }
    if (show) {
      return Text.escape(address);
    }
    int at = address.lastIndexOf('@');
    if (at <= 0) {
      return "***";
    }
    return Text.escape(address.substring(0, 1)) + "***" + Text.escape(address.substring(at));
  }

  /** Renders an address object, masked unless {@code show} is true. */
  public static String address(Address address, boolean show) {
    return address instanceof InternetAddress ia ? address(ia.getAddress(), show) : "<non-internet address>";
  }

  /**
   * Renders free text that may quote addresses, such as a server's reply ({@code 550 5.1.1
   * <jane@example.com>: Recipient address rejected}): every address in it is masked unless
   * {@code show} is true, and control characters are escaped either way.
   */
  public static String text(String text, boolean show) {
    if (text == null) {
      return "<none>";
    }
    if (show) {
      return Text.escape(text);
    }
    return Text.escape(ADDRESS_IN_TEXT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
        address(m.group(), false))));
  }

  /** A local part and a domain, as they appear in replies and diagnostics (bounded, no backtracking). */
  private static final Pattern ADDRESS_IN_TEXT =
      Pattern.compile("[^\\s<>()\\[\\],;:\"@]{1,256}+@[^\\s<>()\\[\\],;:\"@]{1,256}+");

  /** Renders several addresses, masked unless {@code show} is true. */
  public static String addresses(Collection<? extends Address> addresses, boolean show) {
    return addresses.stream().map(a -> address(a, show)).collect(Collectors.joining(", ", "[", "]"));
  }
}
