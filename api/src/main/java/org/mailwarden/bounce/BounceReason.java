package org.mailwarden.bounce;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Why a message bounced, in the vocabulary of the Sisimai project so results can be compared with
 * it. {@link #code()} is the lower-case Sisimai name, for example {@code "userunknown"}.
 */
public enum BounceReason {
  /** The mailbox does not exist. */
  USERUNKNOWN,
  /** The domain does not exist or has no mail server. */
  HOSTUNKNOWN,
  /** The recipient has moved and left no forwarding address. */
  HASMOVED,
  /** The domain accepts no mail at all (for example a null MX). */
  NOTACCEPT,
  /** The mailbox is full. */
  MAILBOXFULL,
  /** The message is larger than the recipient accepts. */
  MESGTOOBIG,
  /** The message exceeds a limit of the recipient (size, recipients, headers). */
  EXCEEDLIMIT,
  /** The mailbox is disabled or suspended. */
  SUSPEND,
  /** The recipient's filter refused the message. */
  FILTERED,
  /** The sender (envelope or domain) was refused. */
  REJECTED,
  /** The sending host or network is blocked. */
  BLOCKED,
  /** The sender's reputation is poor. */
  BADREPUTATION,
  /** The sending host has no valid reverse DNS. */
  REQUIREPTR,
  /** SPF, DKIM or DMARC authentication failed. */
  AUTHFAILURE,
  /** The message does not comply with the RFCs. */
  NOTCOMPLIANTRFC,
  /** The message was judged to be spam. */
  SPAMDETECTED,
  /** The message carries a virus. */
  VIRUSDETECTED,
  /** The message violates a policy of the recipient. */
  POLICYVIOLATION,
  /** A security error (for example a required TLS or authentication). */
  SECURITYERROR,
  /** The content was refused (for example a forbidden attachment). */
  CONTENTERROR,
  /** The server refused to relay. */
  NORELAYING,
  /** The sender sent too fast. */
  SPEEDING,
  /** The sender opened too many connections. */
  TOOMANYCONN,
  /** STARTTLS failed. */
  FAILEDSTARTTLS,
  /** The recipient is on the provider's own suppression list. */
  SUPPRESSED,
  /** A network error. */
  NETWORKERROR,
  /** Delivery time expired while retrying. */
  EXPIRED,
  /** An error of the remote system. */
  SYSTEMERROR,
  /** The remote system is out of disk space. */
  SYSTEMFULL,
  /** The remote mailer program failed. */
  MAILERERROR,
  /** An SMTP syntax error. */
  SYNTAXERROR,
  /** The message is on hold. */
  ONHOLD,
  /** The reason could not be determined. */
  UNDEFINED,
  /** The message was delivered (a success DSN). */
  DELIVERED,
  /** A complaint (ARF feedback report, RFC 5965). */
  FEEDBACK,
  /** An auto-reply (RFC 3834), not a failure. */
  VACATION;

  private final String code;

  BounceReason() {
    this.code = name().toLowerCase(Locale.ROOT);
  }

  /** Returns the Sisimai name of the reason, for example {@code "userunknown"}. */
  public String code() {
    return code;
  }

  /** Returns the reason with the given Sisimai name. */
  public static BounceReason fromCode(String code) {
    return valueOf(code.trim().toUpperCase(Locale.ROOT));
  }

  /**
   * Returns whether a bounce for this reason and SMTP reply code means the address itself is bad:
   * {@code userunknown}, {@code hostunknown}, {@code hasmoved}, and {@code notaccept} with a 5xx code.
   *
   * @param replyCode the SMTP reply code, 0 when unknown
   * @param status the enhanced status code such as {@code 5.1.1}, or null when unknown
   */
  public boolean isHard(int replyCode, @Nullable String status) {
    return switch (this) {
      case USERUNKNOWN, HOSTUNKNOWN, HASMOVED -> true;
      case NOTACCEPT -> replyCode / 100 == 5 || (replyCode == 0 && status != null && status.startsWith("5"));
      default -> false;
    };
  }
}
