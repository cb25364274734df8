package org.mailwarden;

import java.util.Locale;

/**
 * Why Mailwarden refused one recipient address. Every value has a stable, lower-case {@link #code()}
 * suitable for JSON, logs and metrics tags.
 *
 * <p>The values fall in three groups: the address itself is malformed ({@link #SYNTAX} to
 * {@link #INVALID_DOMAIN}), the domain is ruled out by configuration ({@link #DENIED_DOMAIN},
 * {@link #DOMAIN_NOT_ALLOWED}), or what is known about the address or its domain rules it out
 * ({@link #SUPPRESSED} onwards).
 */
public enum RecipientReason {
  /** The address is not an RFC 5321 Mailbox (after RFC 6531 for UTF-8). */
  SYNTAX,
  /** The local part exceeds 64 octets, the domain 255 or the whole path 254. */
  LENGTH,
  /** The address contains a control character (CR and LF included): SMTP command or header injection. */
  CONTROL_CHARACTER,
  /** The local part is a quoted string, refused by the strict syntax policy. */
  QUOTED_LOCAL_PART,
  /** The domain is an address literal ({@code [192.0.2.1]}), refused by the strict policy, or not globally routable. */
  ADDRESS_LITERAL,
  /** The domain is not a fully qualified, IDNA-valid domain with an alphabetic or A-label top-level domain. */
  INVALID_DOMAIN,
  /** The domain is under a special-use top-level domain ({@code localhost}, {@code test}, {@code invalid}, ...). */
  SPECIAL_USE_DOMAIN,
  /** The domain matches {@code recipients.deny-domains}. */
  DENIED_DOMAIN,
  /** {@code recipients.allow-domains} is set and the domain matches none of its entries. */
  DOMAIN_NOT_ALLOWED,
  /** The address is on the suppression list (it bounced or complained before). */
  SUPPRESSED,
  /** The domain publishes a null MX or has no MX, A or AAAA record. */
  NO_MAIL_SERVER,
  /** The domain does not exist (NXDOMAIN). */
  NO_SUCH_DOMAIN,
  /** DNS could not be asked and the configuration refuses in that case. */
  DNS_UNAVAILABLE,
  /** The address is not an Internet (RFC 822) address, for example a news address. */
  NOT_INTERNET_ADDRESS;

  private final String code;

  RecipientReason() {
    this.code = name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Returns the stable machine-readable code, for example {@code "denied-domain"}. */
  public String code() {
    return code;
  }
}
