package org.mailwarden.internal.policy;

import jakarta.mail.MessagingException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Policy;

/** Refuses a message with more recipients than {@code limit.recipients-per-message}; 0 turns it off. */
public final class RecipientCountPolicy implements Policy {
  private final int max;

  public RecipientCountPolicy(int max) {
    this.max = max;
  }

  @Override
  public String name() {
    return "recipients-per-message";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    int count = chain.outgoing().recipients().size();
    if (max > 0 && count > max) {
      throw new SendRefusedException(RefusalReason.TOO_MANY_RECIPIENTS, "the message has " + count
          + " recipients, more than limit.recipients-per-message=" + max + "; nothing was sent",
          chain.outgoing().recipientArray());
    }
    return chain.proceed(chain.outgoing());
  }
}
