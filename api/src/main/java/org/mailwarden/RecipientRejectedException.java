package org.mailwarden;

import jakarta.mail.Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Mailwarden refused one or more recipients. With the default {@code recipients.on-invalid=reject-message}
 * nothing was sent; with {@code drop-recipient} the message went to the others, listed in
 * {@link #getValidSentAddresses()}.
 *
 * <p>{@link #getInvalidAddresses()} lists the refused addresses as Jakarta Mail defines it, and
 * {@link #getRejections()} gives the reason for each.
 */
public class RecipientRejectedException extends SendRefusedException {
  private static final long serialVersionUID = 1L;

  private final transient List<RejectedRecipient> rejections;

  /**
   * Creates a recipient refusal.
   *
   * @param rejections the refused recipients with their reasons, not empty
   * @param validSent recipients the server accepted (the message went to them)
   * @param validUnsent valid recipients that were not sent to
   */
  public RecipientRejectedException(List<RejectedRecipient> rejections,
      Address @Nullable [] validSent, Address @Nullable [] validUnsent) {
    super(RefusalReason.RECIPIENTS_REJECTED, describe(rejections, validSent), validSent, validUnsent,
        rejections.stream().map(RejectedRecipient::address).toArray(Address[]::new));
    this.rejections = List.copyOf(rejections);
  }

  /** Returns each refused recipient with its reason, in the order the message listed them. */
  public List<RejectedRecipient> getRejections() {
    return rejections;
  }

  /** Returns the reason the given address was refused, or empty if it was not refused by Mailwarden. */
  public Optional<RecipientReason> reasonFor(Address address) {
    Objects.requireNonNull(address, "address");
    return rejections.stream().filter(r -> r.address().equals(address))
        .map(RejectedRecipient::reason).findFirst();
  }

  private static String describe(List<RejectedRecipient> rejections,
      Address @Nullable [] validSent) {
    if (rejections.isEmpty()) {
      throw new IllegalArgumentException("rejections must not be empty");
    }
    StringBuilder sb = new StringBuilder();
    sb.append(rejections.size()).append(rejections.size() == 1 ? " recipient" : " recipients")
        .append(" refused: ");
    for (int i = 0; i < rejections.size(); i++) {
      RejectedRecipient r = rejections.get(i);
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(r.reason().code()).append(" (").append(r.detail()).append(')');
    }
    int sent = validSent == null ? 0 : validSent.length;
    sb.append(sent == 0 ? "; nothing was sent" : "; the message was sent to the other " + sent);
    return sb.toString();
  }
}
