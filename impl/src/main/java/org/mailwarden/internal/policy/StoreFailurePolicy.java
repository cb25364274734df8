package org.mailwarden.internal.policy;

import jakarta.mail.MessagingException;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.spi.StoreUnavailableException;

/**
 * The first link when quotas and the suppression list live in a shared store: a store that does not
 * answer ({@link StoreUnavailableException}, thrown before anything is handed to the server) becomes
 * a refusal with {@link RefusalReason#STORE_UNAVAILABLE}. A guard whose store fails must not open.
 */
public final class StoreFailurePolicy implements Policy {
  private final String store;

  public StoreFailurePolicy(String store) {
    this.store = store;
  }

  @Override
  public String name() {
    return "store";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    try {
      return chain.proceed(chain.outgoing());
    } catch (StoreUnavailableException e) {
      SendRefusedException refusal = new SendRefusedException(RefusalReason.STORE_UNAVAILABLE,
          "the shared store (" + store + ") is unavailable: " + e.getMessage() + "; nothing was sent",
          chain.outgoing().recipientArray());
      refusal.setNextException(e);
      throw refusal;
    }
  }
}
