package org.mailwarden.suppression;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * The addresses an application must not mail again: they hard-bounced, complained, were refused by
 * a server with a {@code 5.1.x} status, or failed softly too often. Mailwarden's send path refuses
 * them with {@link org.mailwarden.RecipientReason#SUPPRESSED}. One list per application
 * ({@code mail.mailwarden.app}), shared by every session of that application in the JVM; obtain it
 * with {@link org.mailwarden.Mailwarden#suppressions(jakarta.mail.Session)}.
 *
 * <p><b>Addresses are compared without case, local part included</b> ({@link #normalize(String)}):
 * RFC 5321 allows a case-sensitive local part, but virtually every mailbox provider folds case, and
 * bounce reports often give the address in a different case than it was sent, so a case-sensitive
 * list would miss them. Surrounding angle brackets and white space are ignored.
 *
 * <p>Implementations are thread-safe. Expired entries are never returned.
 */
public interface SuppressionList {
  /**
   * Returns the entry for an address, if it is suppressed and has not expired.
   *
   * @throws NullPointerException if {@code address} is null
   */
  Optional<Suppression> find(String address);

  /**
   * Puts an address on the list now, replacing any entry it had (the expiry restarts).
   *
   * @param address the address; normalized as described above
   * @param reason why, for people
   * @param source where the information came from, for example {@code manual}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the address has no {@code @} or contains a control character
   */
  void suppress(String address, String reason, String source);

  /**
   * Takes an address off the list.
   *
   * @return true when it was on the list (and not expired)
   */
  boolean remove(String address);

  /** Returns every entry that has not expired, oldest first. */
  List<Suppression> list();

  /**
   * Returns about how many entries the list holds, without listing them where the store can count
   * (the memory and file stores count an index in memory): cheap enough for a gauge read on every
   * metrics scrape. Entries that expired may be counted until the store drops them. This default
   * lists.
   */
  default long size() {
    return list().size();
  }

  /**
   * Records what a bounce, complaint or auto-reply said about a recipient (for applications that
   * receive bounces themselves, through a webhook or a pipe) and applies the rules: a hard bounce
   * ({@link BouncedRecipient#hard()}) or a complaint ({@code feedback}) suppresses the address at once;
   * another failure counts toward {@code suppression.soft-threshold} within
   * {@code suppression.soft-window}; deliveries, delays and auto-replies ({@code vacation}) never
   * count. When the bounce names the ENVID or Message-ID of a message recently sent through
   * Mailwarden, listeners get {@link org.mailwarden.MailwardenListener#bounced}. Hard bounces and
   * complaints also feed the reputation guard.
   *
   * @throws NullPointerException if {@code bounce} is null
   */
  void record(BouncedRecipient bounce);

  /**
   * Returns the normalized form of an address: trimmed, without surrounding angle brackets, in
   * lower case ({@link Locale#ROOT}).
   *
   * @throws NullPointerException if {@code address} is null
   * @throws IllegalArgumentException if the address has no {@code @} or contains a control character
   */
  static String normalize(String address) {
    Objects.requireNonNull(address, "address");
    // every recipient of every send is normalized for its look-up: the usual address, printable ASCII
    // in lower case with one '@' inside and no brackets, is its own normal form, found in one pass
    int at = -1;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c <= ' ' || c >= 0x7f || (c >= 'A' && c <= 'Z') || c == '<') {
        return normalizeAny(address);
      }
      if (c == '@') {
        at = i;
      }
    }
    return at > 0 && at < address.length() - 1 ? address : normalizeAny(address);
  }

  private static String normalizeAny(String address) {
    String a = address.strip();
    if (a.length() >= 2 && a.charAt(0) == '<' && a.charAt(a.length() - 1) == '>') {
      a = a.substring(1, a.length() - 1).strip();
    }
    int at = a.lastIndexOf('@');
    if (at <= 0 || at == a.length() - 1) {
      throw new IllegalArgumentException("not an address (local@domain expected): " + printable(a));
    }
    for (int i = 0; i < a.length(); i++) {
      char c = a.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
        throw new IllegalArgumentException("an address must not contain control characters or white "
            + "space: " + printable(a));
      }
    }
    return a.toLowerCase(Locale.ROOT);
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().limit(200).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }
}
