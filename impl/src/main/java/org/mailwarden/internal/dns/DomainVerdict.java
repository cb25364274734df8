package org.mailwarden.internal.dns;

import java.time.Duration;
import java.util.Objects;

/**
 * What DNS says about one recipient domain, and for how long the answer may be cached.
 *
 * @param kind whether the domain can receive mail, and if not why
 * @param detail a sentence for people: the records found, or what failed
 * @param ttl how long the verdict may be cached
 */
public record DomainVerdict(Kind kind, String detail, Duration ttl) {

  /** The outcome of one lookup. */
  public enum Kind {
    /** MX records other than the null MX, or no MX but an A or AAAA record (implicit MX). */
    MAIL_CAPABLE,
    /** The only MX record is the null MX of RFC 7505 ({@code 0 .}): the domain accepts no mail. */
    NULL_MX,
    /** The domain exists but has no MX, A or AAAA record. */
    NO_MAIL_SERVER,
    /** The domain does not exist (NXDOMAIN). */
    NO_SUCH_DOMAIN,
    /** DNS gave no answer: a timeout, SERVFAIL, REFUSED or a network error. */
    DNS_FAILURE
  }

  public DomainVerdict {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(ttl, "ttl");
  }
}
