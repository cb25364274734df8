package org.mailwarden.internal.policy;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.util.List;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;

/**
 * What the recipient policies do once each recipient is judged ({@code recipients.on-invalid}): with
 * {@code reject-message} one refused recipient refuses the whole message; with {@code drop-recipient}
 * the refused ones are removed and the rest goes on, unless none is left.
 */
final class RecipientRefusals {
  private RecipientRefusals() {}

  static Delivered proceed(Policy.Chain chain, OnInvalid onInvalid, List<InternetAddress> valid,
      List<RejectedRecipient> rejected) throws MessagingException {
    Outgoing outgoing = chain.outgoing();
    if (rejected.isEmpty()) {
      return chain.proceed(outgoing);
    }
    if (onInvalid == OnInvalid.REJECT_MESSAGE || valid.isEmpty()) {
      throw new RecipientRejectedException(rejected, null, valid.toArray(new InternetAddress[0]));
    }
    return chain.proceed(outgoing.dropping(valid, rejected));
  }
}
