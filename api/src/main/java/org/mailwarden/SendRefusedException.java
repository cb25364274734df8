package org.mailwarden;

import jakarta.mail.Address;
import jakarta.mail.SendFailedException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Mailwarden refused to send a message, or part of it, because of a policy.
 *
 * <p>It is a {@link SendFailedException}, so code that handles {@code Transport.send} failures keeps
 * working. As Jakarta Mail defines for that exception, {@link #getValidSentAddresses()} lists the
 * recipients that the server accepted (empty unless {@code recipients.on-invalid=drop-recipient} let
 * the rest of the message go out), {@link #getValidUnsentAddresses()} the valid recipients that were
 * not sent to, and {@link #getInvalidAddresses()} the recipients refused by Mailwarden or the server.
 *
 * <p>A refusal is an expected outcome, not a bug: it has no stack trace.
 */
public class SendRefusedException extends SendFailedException {
  private static final long serialVersionUID = 1L;
  private static final Address[] NONE = new Address[0];

  private final RefusalReason reason;

  /**
   * Creates a refusal.
   *
   * @param reason why the message was refused
   * @param message a sentence naming what was wrong
   * @param validSent recipients the server accepted
   * @param validUnsent valid recipients not sent to
   * @param invalid recipients refused
   */
  public SendRefusedException(RefusalReason reason, String message, Address @Nullable [] validSent,
      Address @Nullable [] validUnsent, Address @Nullable [] invalid) {
    super(message, null, orNone(validSent), orNone(validUnsent), orNone(invalid));
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Creates a refusal of a whole message, nothing sent; all its recipients are valid but unsent. */
  public SendRefusedException(RefusalReason reason, String message, Address @Nullable [] unsent) {
    this(reason, message, NONE, unsent, NONE);
  }

  /** Returns why the message was refused. */
  public RefusalReason getReason() {
    return reason;
  }

  /** Returns true when the message went to some recipients ({@link #getValidSentAddresses()}). */
  public boolean isPartiallySent() {
    return getValidSentAddresses().length > 0;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  private static Address[] orNone(Address @Nullable [] addresses) {
    return addresses == null ? NONE : addresses.clone();
  }
}
