package org.mailwarden;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A refusal that a policy decided but did not enforce, because Mailwarden runs in
 * {@code mode=report-only}: the message was sent anyway.
 *
 * @param reason why the message would have been refused
 * @param detail the sentence the refusal would have carried
 * @param recipients the recipients that would have been refused, with reasons (empty when the
 *     refusal concerns the whole message, as a quota or a sender does)
 * @param limit the quota key that would have refused, for {@link RefusalReason#QUOTA_EXCEEDED}; null
 *     otherwise
 */
public record WouldBeRefusal(RefusalReason reason, String detail, List<RejectedRecipient> recipients,
    @Nullable String limit) {
  /** Checks the components and copies the list. */
  public WouldBeRefusal {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    recipients = List.copyOf(recipients);
  }

  /** Returns the refusal an exception describes, as report-only records it. */
  public static WouldBeRefusal of(SendRefusedException refusal) {
    Objects.requireNonNull(refusal, "refusal");
    List<RejectedRecipient> recipients = refusal instanceof RecipientRejectedException r
        ? r.getRejections() : List.of();
    String limit = refusal instanceof QuotaExceededException q ? q.getLimit() : null;
    return new WouldBeRefusal(refusal.getReason(), String.valueOf(refusal.getMessage()), recipients, limit);
  }

  /** Returns the quota key that would have refused, when a quota would have. */
  public Optional<String> quotaLimit() {
    return Optional.ofNullable(limit);
  }
}
