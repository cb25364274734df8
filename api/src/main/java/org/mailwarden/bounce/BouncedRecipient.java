package org.mailwarden.bounce;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One recipient reported by a bounce, a complaint or an auto-reply.
 *
 * @param recipient the bounced address, as the report gives it
 * @param action the DSN action ({@code failed}, {@code delayed}, {@code delivered}, ...), or empty text
 * @param status the enhanced status code such as {@code 5.1.1}, or empty text when the report has none
 * @param replyCode the SMTP reply code such as 550, or 0 when the report has none
 * @param diagnostic the diagnostic text of the remote server, or empty text
 * @param reason the reason, in Sisimai's vocabulary
 * @param hard whether the address itself is bad (see {@link BounceReason#isHard(int, String)})
 * @param envelopeId the ENVID of the original message ({@code Original-Envelope-Id}), or null
 * @param messageId the Message-ID of the original message, or null
 * @param feedbackType the ARF feedback type ({@code abuse}, ...) for complaints, or null
 */
public record BouncedRecipient(String recipient, String action, String status, int replyCode,
    String diagnostic, BounceReason reason, boolean hard, @Nullable String envelopeId,
    @Nullable String messageId, @Nullable String feedbackType) {

  /** Checks the required components. */
  public BouncedRecipient {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(diagnostic, "diagnostic");
    Objects.requireNonNull(reason, "reason");
  }

  /** Returns the ENVID of the original message, when the report carries it. */
  public Optional<String> originalEnvelopeId() {
    return Optional.ofNullable(envelopeId);
  }

  /** Returns the Message-ID of the original message, when the report carries it. */
  public Optional<String> originalMessageId() {
    return Optional.ofNullable(messageId);
  }
}
