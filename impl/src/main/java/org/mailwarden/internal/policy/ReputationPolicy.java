package org.mailwarden.internal.policy;

import jakarta.mail.MessagingException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.suppression.Deliverability;

/** Refuses every message with {@link RefusalReason#PAUSED} while the reputation guard has paused the application. */
public final class ReputationPolicy implements Policy {
  private final Deliverability deliverability;

  /** @param deliverability the application's state, as the engine observes it (state changes go to its listener) */
  public ReputationPolicy(Deliverability deliverability) {
    this.deliverability = deliverability;
  }

  @Override
  public String name() {
    return "reputation";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    if (deliverability.isPaused()) {
      throw new SendRefusedException(RefusalReason.PAUSED, "app " + deliverability.app()
          + " is paused by the reputation guard (" + deliverability.reputation()
          + "); an operator resumes it with Mailwarden.reputation(session).resume()",
          chain.outgoing().recipientArray());
    }
    String tenant = chain.outgoing().tenant();
    if (tenant != null && deliverability.isPaused(tenant)) {
      throw new SendRefusedException(RefusalReason.PAUSED, "tenant " + tenant + " of app " + deliverability.app()
          + " is paused by the reputation guard (" + deliverability.reputation(tenant)
          + "); the application and other tenants keep sending; an operator resumes it with "
          + "Mailwarden.reputation(session).resume(\"" + tenant + "\")",
          chain.outgoing().recipientArray());
    }
    return chain.proceed(chain.outgoing());
  }
}
