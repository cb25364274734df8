package org.mailwarden.internal.policy;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.mailwarden.RecipientReason;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.DeliveryFailedException;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;
import org.mailwarden.internal.suppression.Deliverability;
import org.mailwarden.suppression.Suppression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses suppressed recipients ({@link RecipientReason#SUPPRESSED}, honouring
 * {@code recipients.on-invalid} like the recipient policy), and learns from the delivery: a
 * recipient the server refuses on RCPT with a 5xx {@code 5.1.x} reply goes on the list at once, other
 * refusals count as soft failures, and every delivery is counted for the reputation guard and
 * remembered (by ENVID and Message-ID) so that a later bounce can be tied back to it.
 */
public final class SuppressionPolicy implements Policy {
  private static final Logger log = LoggerFactory.getLogger(SuppressionPolicy.class);

  private final String app;
  private final Deliverability deliverability;
  private final OnInvalid onInvalid;
  private final boolean lookUp;
  private final Function<InternetAddress, Optional<RejectedRecipient>> check = this::check;

  /**
   * @param lookUp false when the quota policy looks the recipients up instead, together with its
   *     charge (a shared store answers both in one round trip); this policy then only learns
   * @param deliverability the application's state, as the engine observes it (what it learns is
   *     reported to the engine's listener)
   */
  public SuppressionPolicy(String app, Deliverability deliverability, OnInvalid onInvalid,
      boolean lookUp) {
    this.app = app;
    this.deliverability = deliverability;
    this.onInvalid = onInvalid;
    this.lookUp = lookUp;
  }

  @Override
  public String name() {
    return "suppression";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    Delivered delivered;
    try {
      delivered = lookUp ? lookUp(chain) : chain.proceed(chain.outgoing());
    } catch (DeliveryFailedException failure) {
      if (failure.failure() instanceof SendFailedException refused && !(refused instanceof SendRefusedException)) {
        observe(() -> deliverability.refused(refused));
      }
      throw failure;
    }
    try {
      deliverability.delivered(delivered.report(app));
    } catch (RuntimeException e) {
      log.error("app={} could not update its suppression list or reputation", app, e);
    }
    return delivered;
  }

  /** Refuses or drops the listed recipients; several are looked up together (one round trip on a shared store). */
  private Delivered lookUp(Chain chain) throws MessagingException {
    List<InternetAddress> recipients = chain.outgoing().recipients();
    if (recipients.size() == 1) {
      return RecipientRefusals.apply(chain, onInvalid, check);
    }
    return RecipientRefusals.apply(chain, onInvalid, listedIn(deliverability.findAll(recipients)));
  }

  /** The check of recipients already looked up: refused when listed in {@code found}. */
  static Function<InternetAddress, Optional<RejectedRecipient>> listedIn(Map<InternetAddress, Suppression> found) {
    return recipient -> {
      Suppression entry = found.get(recipient);
      return entry == null ? Optional.empty() : Optional.of(rejection(recipient, entry));
    };
  }

  private Optional<RejectedRecipient> check(InternetAddress recipient) {
    Optional<Suppression> entry = deliverability.find(recipient.getAddress());
    return entry.isEmpty() ? Optional.empty() : Optional.of(rejection(recipient, entry.get()));
  }

  /** The refusal of a listed recipient, naming its entry. */
  private static RejectedRecipient rejection(InternetAddress recipient, Suppression entry) {
    return new RejectedRecipient(recipient, RecipientReason.SUPPRESSED,
        "the address is on the suppression list since " + entry.since() + " (" + entry.source() + ": "
            + entry.reason() + ")");
  }

  /** Learning must never turn a send's outcome into another one: a failing store is logged. */
  private void observe(Runnable learning) {
    try {
      learning.run();
    } catch (RuntimeException e) {
      log.error("app={} could not update its suppression list or reputation", app, e);
    }
  }
}
