package org.mailwarden.internal.policy;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.util.Optional;
import java.util.function.Function;
import org.mailwarden.RecipientReason;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.DomainRules;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;

/**
 * Checks every recipient: syntax ({@code recipients.syntax}), then {@code recipients.deny-domains},
 * then {@code recipients.allow-domains}. With {@code reject-message} one bad recipient refuses the
 * whole message; with {@code drop-recipient} the bad ones are removed and the rest goes on (and if
 * none is left, the message is refused).
 */
public final class RecipientPolicy implements Policy {
  private final AddressSyntax.Mode mode;
  private final DomainRules allow;
  private final DomainRules deny;
  private final OnInvalid onInvalid;
  private final Function<InternetAddress, Optional<RejectedRecipient>> check = this::check;

  public RecipientPolicy(AddressSyntax.Mode mode, DomainRules allow, DomainRules deny,
      OnInvalid onInvalid) {
    this.mode = mode;
    this.allow = allow;
    this.deny = deny;
    this.onInvalid = onInvalid;
  }

  @Override
  public String name() {
    return "recipients";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    return RecipientRefusals.apply(chain, onInvalid, check);
  }

  /** Returns the refusal of one recipient, or empty when it may receive. */
  Optional<RejectedRecipient> check(InternetAddress recipient) {
    String address = recipient.getAddress();
    if (address == null) {
      return Optional.of(new RejectedRecipient(recipient, RecipientReason.SYNTAX, "the address is empty"));
    }
    Optional<AddressSyntax.Violation> violation = AddressSyntax.check(address, mode);
    if (violation.isPresent()) {
      return Optional.of(new RejectedRecipient(recipient, violation.get().reason(), violation.get().detail()));
    }
    if (deny.isEmpty() && allow.isEmpty()) {
      return Optional.empty();
    }
    String domain = address.substring(address.lastIndexOf('@') + 1);
    if (deny.matches(domain)) {
      return Optional.of(new RejectedRecipient(recipient, RecipientReason.DENIED_DOMAIN,
          "domain " + domain + " is in recipients.deny-domains"));
    }
    if (!allow.isEmpty() && !allow.matches(domain)) {
      return Optional.of(new RejectedRecipient(recipient, RecipientReason.DOMAIN_NOT_ALLOWED,
          "domain " + domain + " is not in recipients.allow-domains"));
    }
    return Optional.empty();
  }
}
