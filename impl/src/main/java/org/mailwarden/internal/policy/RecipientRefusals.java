package org.mailwarden.internal.policy;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;

/**
 * The one way recipient policies refuse recipients ({@code recipients.on-invalid}): with
 * {@code reject-message} one refused recipient refuses the whole message; with {@code drop-recipient}
 * the refused ones are removed and the rest goes on (and if none is left, the message is refused).
 */
final class RecipientRefusals {
  private RecipientRefusals() {}

  /** Checks every recipient of the chain's message one by one, then proceeds, drops or refuses. */
  static Delivered apply(Policy.Chain chain, OnInvalid onInvalid,
      Function<InternetAddress, Optional<RejectedRecipient>> check) throws MessagingException {
    return chain.proceed(judge(chain.outgoing(), onInvalid, check));
  }

  /**
   * Checks every recipient of a message one by one: returns the message itself when none is
   * refused, a copy without the refused ones ({@code drop-recipient}), or refuses it.
   *
   * @throws RecipientRejectedException when the message is refused
   */
  static Outgoing judge(Outgoing outgoing, OnInvalid onInvalid,
      Function<InternetAddress, Optional<RejectedRecipient>> check) throws MessagingException {
    List<InternetAddress> recipients = outgoing.recipients();
    // the lists are built at the first refusal: when none is refused (nearly always) nothing is copied
    List<InternetAddress> valid = null;
    List<RejectedRecipient> rejected = null;
    for (int i = 0; i < recipients.size(); i++) {
      InternetAddress recipient = recipients.get(i);
      Optional<RejectedRecipient> refusal = check.apply(recipient);
      if (refusal.isPresent()) {
        if (rejected == null) {
          valid = new ArrayList<>(recipients.subList(0, i));
          rejected = new ArrayList<>(1);
        }
        rejected.add(refusal.get());
      } else if (valid != null) {
        valid.add(recipient);
      }
    }
    return rejected == null ? outgoing : judged(outgoing, onInvalid, valid, rejected);
  }

  /** Proceeds, drops or refuses once every recipient is judged (valid and rejected together). */
  static Delivered proceed(Policy.Chain chain, OnInvalid onInvalid, List<InternetAddress> valid,
      List<RejectedRecipient> rejected) throws MessagingException {
    return chain.proceed(judged(chain.outgoing(), onInvalid, valid, rejected));
  }

  private static Outgoing judged(Outgoing outgoing, OnInvalid onInvalid, List<InternetAddress> valid,
      List<RejectedRecipient> rejected) throws MessagingException {
    if (rejected.isEmpty()) {
      return outgoing;
    }
    if (onInvalid == OnInvalid.REJECT_MESSAGE || valid.isEmpty()) {
      throw new RecipientRejectedException(rejected, null, valid.toArray(new InternetAddress[0]));
    }
    return outgoing.dropping(valid, rejected);
  }
}
