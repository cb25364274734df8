package org.mailwarden.internal.policy;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.WouldBeRefusal;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.util.Text;

/**
 * One policy in {@code mode=report-only}: it decides as usual, but a refusal it throws before it
 * proceeds, or recipients it drops, are recorded on the message ({@link Outgoing#wouldRefuse()}) and
 * the message goes on as it came. Injection is never relaxed: a recipient or sender with a control
 * character stays refused, as do the reasons that are not about policy but about the message itself
 * (header injection, DSN, no recipients, an unsupported message), so a policy that refuses those
 * refuses them here too.
 */
public final class ReportOnlyPolicy implements Policy {
  private final Policy policy;

  public ReportOnlyPolicy(Policy policy) {
    this.policy = policy;
  }

  /** Returns the policy this one relaxes. */
  public Policy policy() {
    return policy;
  }

  @Override
  public String name() {
    return policy.name();
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    Outgoing before = chain.outgoing();
    Relaxed rest = new Relaxed(chain, before);
    try {
      return policy.intercept(rest);
    } catch (SendRefusedException refusal) {
      if (rest.proceeded || !isRelaxable(before, refusal)) {
        throw refusal;
      }
      return chain.proceed(before.reporting(WouldBeRefusal.of(refusal)));
    }
  }

  /** Returns whether report-only may send a message despite this refusal. */
  static boolean isRelaxable(Outgoing outgoing, SendRefusedException refusal) {
    return switch (refusal.getReason()) {
      case QUOTA_EXCEEDED, TOO_MANY_RECIPIENTS, PAUSED, STORE_UNAVAILABLE -> true;
      case RECIPIENTS_REJECTED -> refusal instanceof RecipientRejectedException r
          && r.getRejections().stream().allMatch(ReportOnlyPolicy::isRelaxable);
      case SENDER_NOT_ALLOWED -> !senderHasControl(outgoing);
      default -> false; // header injection, dsn.*, no recipients, unsupported messages
    };
  }

  private static boolean isRelaxable(RejectedRecipient r) {
    return r.reason() != RecipientReason.CONTROL_CHARACTER && r.reason() != RecipientReason.NOT_INTERNET_ADDRESS
        && (r.address().getAddress() == null || Text.firstControl(r.address().getAddress()) < 0);
  }

  /** Whether the envelope sender or a From address has a control character, or From is malformed. */
  private static boolean senderHasControl(Outgoing outgoing) {
    if (outgoing.envelopeFrom() != null && Text.firstControl(outgoing.envelopeFrom()) >= 0) {
      return true;
    }
    Address[] from;
    try {
      from = outgoing.from().addresses();
    } catch (MessagingException malformed) {
      return true; // a From header that does not parse is not sent on report-only's word
    }
    for (Address a : from) {
      if (a instanceof InternetAddress ia && ia.getAddress() != null && Text.firstControl(ia.getAddress()) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The chain as the relaxed policy sees it: recipients it drops are reported and kept instead. */
  private static final class Relaxed implements Chain {
    private final Chain chain;
    private final Outgoing before;
    private boolean proceeded;

    Relaxed(Chain chain, Outgoing before) {
      this.chain = chain;
      this.before = before;
    }

    @Override
    public Outgoing outgoing() {
      return chain.outgoing();
    }

    @Override
    public Connection connection() {
      return chain.connection();
    }

    @Override
    public Delivered proceed(Outgoing next) throws MessagingException {
      proceeded = true;
      if (next != null && next.dropped().size() > before.dropped().size()) {
        List<RejectedRecipient> dropped = next.dropped().subList(before.dropped().size(), next.dropped().size());
        if (dropped.stream().allMatch(ReportOnlyPolicy::isRelaxable)) {
          Outgoing kept = new Outgoing(next.message(), next.envelopeFrom(), before.recipients(),
              before.dropped(), next.dsn(), next.from(), next.tenant(), next.wouldRefuse());
          RecipientRejectedException refusal = new RecipientRejectedException(new ArrayList<>(dropped), null,
              next.recipientArray());
          return chain.proceed(kept.reporting(WouldBeRefusal.of(refusal)));
        }
      }
      return chain.proceed(next);
    }
  }
}
