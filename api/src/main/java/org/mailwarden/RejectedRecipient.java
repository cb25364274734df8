package org.mailwarden;

import jakarta.mail.internet.InternetAddress;
import java.util.Objects;

/**
 * One recipient that Mailwarden refused, with the machine-readable reason and a sentence for people.
 *
 * @param address the refused address, exactly as the application gave it
 * @param reason why it was refused
 * @param detail what was wrong, for people; never contains raw control characters
 */
public record RejectedRecipient(InternetAddress address, RecipientReason reason, String detail) {
  /** Checks that no component is null. */
  public RejectedRecipient {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
