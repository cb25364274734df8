package org.mailwarden;

import java.util.Locale;

/**
 * What Mailwarden does with a message that has invalid recipients ({@code recipients.on-invalid}).
 * The default is {@link #REJECT_MESSAGE}.
 */
public enum OnInvalidRecipient {
  /** Send the message to nobody and report every invalid recipient (the default). */
  REJECT_MESSAGE,
  /** Send the message to the valid recipients and report the others. */
  DROP_RECIPIENT;

  /** Returns the value as it is written in the configuration, such as {@code reject-message}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
