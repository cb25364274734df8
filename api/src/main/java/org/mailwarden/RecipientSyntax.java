package org.mailwarden;

import java.util.Locale;

/**
 * Which recipient addresses are well-formed ({@code recipients.syntax}); see the README's "Recipient
 * syntax". The default is {@link #STRICT}.
 */
public enum RecipientSyntax {
  /**
   * RFC 5321 mailboxes with an unquoted dot-string local part and a fully qualified domain (the
   * default).
   */
  STRICT,
  /** Also quoted local parts and globally routable IP address literals. */
  LENIENT;

  /** Returns the value as it is written in the configuration, such as {@code strict}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
