package org.mailwarden;

import java.util.Locale;

/**
 * Why Mailwarden refused a whole message. Every {@link SendRefusedException} carries one; the
 * {@link #code()} is stable and suitable for JSON, logs and metrics tags.
 */
public enum RefusalReason {
  /** One or more recipients were refused; see {@link RecipientRejectedException#getRejections()}. */
  RECIPIENTS_REJECTED,
  /** The message has no recipient left to send to. */
  NO_RECIPIENTS,
  /** The message has more recipients than {@code limit.recipients-per-message}. */
  TOO_MANY_RECIPIENTS,
  /** A message or recipient quota is used up; see {@link QuotaExceededException}. */
  QUOTA_EXCEEDED,
  /** The From address or envelope sender is malformed or outside {@code senders.allow-domains}. */
  SENDER_NOT_ALLOWED,
  /** {@code dsn.require=true} and the server does not advertise the DSN extension (RFC 3461). */
  DSN_NOT_SUPPORTED,
  /** A header value carries a control character (a CR or LF that is not folding): header injection. */
  HEADER_INJECTION,
  /** The message is not something Mailwarden can check, for example a non-MIME {@code Message}. */
  UNSUPPORTED_MESSAGE,
  /**
   * The reputation guard paused sending: the hard-bounce or complaint rate of recent sends went above
   * its pause threshold ({@code reputation.*}); sends stay refused until an operator calls
   * {@link org.mailwarden.suppression.ReputationGuard#resume()} or, with
   * {@code reputation.resume=auto}, the window recovers.
   */
  PAUSED,
  /**
   * Quotas and the suppression list live in a shared store ({@code store=redis}) that did not answer
   * within {@code redis.timeout}, and {@code store.on-failure=refuse} (the default): a guard whose
   * store fails does not open. Sends succeed again as soon as the store answers.
   */
  STORE_UNAVAILABLE;

  private final String code;

  RefusalReason() {
    this.code = name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Returns the stable machine-readable code, for example {@code "quota-exceeded"}. */
  public String code() {
    return code;
  }
}
