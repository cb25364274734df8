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
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;
import org.mailwarden.internal.suppression.Admission;
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
 *
 * <p>The recipients are looked up through the engine's {@link Admission}, which leaves the look-up to
 * the quota link when a shared store answers it together with the quota's charge.
 */
public final class SuppressionPolicy implements Policy {
  private static final Logger log = LoggerFactory.getLogger(SuppressionPolicy.class);

  private final String app;
  private final Deliverability deliverability;
  private final Admission admission;
  private final OnInvalid onInvalid;

  /**
   * @param deliverability the application's state, as the engine observes it (what it learns is
   *     reported to the engine's listener)
   * @param admission where the recipients are looked up (shared with the quota link)
   */
  public SuppressionPolicy(String app, Deliverability deliverability, Admission admission,
      OnInvalid onInvalid) {
    this.app = app;
    this.deliverability = deliverability;
    this.admission = admission;
    this.onInvalid = onInvalid;
  }

  @Override
  public String name() {
    return "suppression";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    Delivered delivered;
    try {
      delivered = chain.proceed(refuseListed(chain.outgoing(), onInvalid,
          admission.listed(chain.outgoing().recipients())));
    } catch (DeliveryFailedException failure) {
      if (failure.failure() instanceof SendFailedException refused && !(refused instanceof SendRefusedException)) {
        observe(() -> deliverability.refused(refused, chain.outgoing().tenant()));
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

  /**
   * Returns the message without the listed recipients ({@code found}, by normalized address), or
   * refuses it, as {@code recipients.on-invalid} says; the message itself when none is listed. The
   * quota link calls this too, for the recipients it looked up with its charge.
   *
   * @throws org.mailwarden.RecipientRejectedException when the message is refused
   */
  static Outgoing refuseListed(Outgoing outgoing, OnInvalid onInvalid, Map<String, Suppression> found)
      throws MessagingException {
    if (found.isEmpty()) {
      return outgoing;
    }
    Function<InternetAddress, Optional<RejectedRecipient>> listed =
        recipient -> Admission.entryOf(found, recipient).map(entry -> rejection(recipient, entry));
    return RecipientRefusals.judge(outgoing, onInvalid, listed);
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
