package org.mailwarden.internal.policy;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.util.Objects;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.DomainRules;
import org.mailwarden.internal.config.TenantSettings;
import org.mailwarden.internal.util.Masking;
import org.mailwarden.internal.util.Text;

/**
 * Checks the envelope sender, the From addresses and the Sender address: no control character ever
 * (MAIL FROM injection), and, when {@code senders.allow-domains} is set, each must be in one of those
 * domains; a message of a tenant with {@code tenant.<tenant>.senders.allow-domains} must be in the
 * tenant's domains too.
 */
public final class SenderPolicy implements Policy {
  private final DomainRules allowed;
  private final TenantSettings tenants;

  public SenderPolicy(DomainRules allowed) {
    this(allowed, TenantSettings.NONE);
  }

  /** @param tenants the sending domains of tenants */
  public SenderPolicy(DomainRules allowed, TenantSettings tenants) {
    this.allowed = allowed;
    this.tenants = tenants;
  }

  @Override
  public String name() {
    return "sender";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    Outgoing outgoing = chain.outgoing();
    Address[] from;
    try {
      from = outgoing.from().addresses();
    } catch (jakarta.mail.internet.AddressException e) {
      throw new SendRefusedException(RefusalReason.SENDER_NOT_ALLOWED, "the From header is malformed: "
          + Text.escape(e.getMessage()) + "; nothing was sent", outgoing.recipientArray());
    }
    String envelopeFrom = outgoing.envelopeFrom();
    DomainRules tenantRules = outgoing.tenant() == null || tenants.senderDomains().isEmpty()
        ? DomainRules.empty() : tenants.senderDomainsOf(outgoing.tenant());
    check(envelopeFrom, outgoing, tenantRules);
    for (Address a : from) {
      // the envelope sender is most often the From address itself: it passed already
      if (a instanceof InternetAddress ia && !Objects.equals(ia.getAddress(), envelopeFrom)) {
        check(ia.getAddress(), outgoing, tenantRules);
      }
    }
    if ((!allowed.isEmpty() || !tenantRules.isEmpty())
        && outgoing.message() instanceof jakarta.mail.internet.MimeMessage mime) {
      // the Sender header names who sent the message on the From's behalf: it is a sender too; read
      // only when a domain rule needs it (header injection in it is the header policy's)
      Address sender;
      try {
        sender = mime.getSender();
      } catch (jakarta.mail.internet.AddressException e) {
        throw new SendRefusedException(RefusalReason.SENDER_NOT_ALLOWED, "the Sender header is malformed: "
            + Text.escape(e.getMessage()) + "; nothing was sent", outgoing.recipientArray());
      }
      if (sender instanceof InternetAddress ia && !Objects.equals(ia.getAddress(), envelopeFrom)) {
        check(ia.getAddress(), outgoing, tenantRules);
      }
    }
    return chain.proceed(outgoing);
  }

  private void check(String sender, Outgoing outgoing, DomainRules tenantRules) throws SendRefusedException {
    String problem = problem(sender);
    if (problem == null && !tenantRules.isEmpty() && sender != null && !sender.isEmpty()) {
      int at = sender.lastIndexOf('@');
      if (at < 0 || !tenantRules.matches(sender.substring(at + 1))) {
        problem = "is not in tenant." + outgoing.tenant() + ".senders.allow-domains (" + tenantRules + ")";
      }
    }
    if (problem != null) {
      throw new SendRefusedException(RefusalReason.SENDER_NOT_ALLOWED, "sender "
          + Masking.address(sender, false) + " " + problem + "; nothing was sent",
          outgoing.recipientArray());
    }
  }

  private String problem(String sender) {
    if (sender == null || sender.isEmpty()) {
      return null; // the null reverse-path <> is allowed
    }
    int control = Text.firstControl(sender);
    if (control >= 0) {
      return "contains the control character U+" + String.format("%04X", (int) sender.charAt(control));
    }
    if (allowed.isEmpty()) {
      return null;
    }
    int at = sender.lastIndexOf('@');
    if (at < 0 || !allowed.matches(sender.substring(at + 1))) {
      return "is not in senders.allow-domains (" + allowed + ")";
    }
    return null;
  }
}
