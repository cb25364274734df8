package org.mailwarden.internal.suppression;

import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.spi.QuotaStore;
import org.mailwarden.spi.SuppressionStore;
import org.mailwarden.spi.SuppressionStore.Verdict;
import org.mailwarden.suppression.Suppression;
import org.mailwarden.suppression.SuppressionList;

/**
 * The one place the suppression link and the quota link of a send ask the stores whether the
 * recipients are listed and take the send's quota. When the suppression list can answer together
 * with the quota's charge ({@link SuppressionStore#chargesWith}: a shared store holding both, one
 * round trip) and a limit is on, the look-up goes with the charge, at the quota link; otherwise the
 * suppression link looks the recipients up and the quota link only charges. Either way each send
 * looks its recipients up once, and a send with a listed recipient is never charged for it.
 *
 * <p>Thread-safe; one per engine.
 */
public final class Admission {
  /** Every charge taken, nobody listed: the answer of nearly every send, not allocated each time. */
  private static final Verdict CHARGED = new Verdict(Map.of(), null);

  private final SuppressionStore list;
  private final QuotaStore quota;
  private final boolean together;

  Admission(SuppressionStore list, QuotaStore quota, boolean together) {
    this.list = list;
    this.quota = quota;
    this.together = together;
  }

  /**
   * For the suppression link: returns the entries of the listed recipients by normalized address;
   * empty when none is listed, and when the quota link looks them up with its charge.
   */
  public Map<String, Suppression> listed(List<InternetAddress> recipients) {
    if (together) {
      return Map.of();
    }
    if (recipients.size() == 1) { // the common case: one look-up, no lists built
      String address = normalized(recipients.get(0));
      Optional<Suppression> entry = address == null ? Optional.empty() : list.find(address);
      return entry.isEmpty() ? Map.of() : Map.of(address, entry.get());
    }
    return list.findAll(addresses(recipients));
  }

  /**
   * For the quota link: takes every charge or none, after looking the recipients up when the look-up
   * goes with the charge (then nothing is charged when one is listed).
   *
   * @param recipients the recipients to look up with the charge; none (an empty list) when they were
   *     looked up already
   * @return the entries found by normalized address (then nothing was charged), or the shortfall
   *     (null when every charge was taken)
   */
  public Verdict charge(List<InternetAddress> recipients, List<QuotaStore.Charge> charges) {
    if (together && !recipients.isEmpty()) {
      return list.findAllOrCharge(addresses(recipients), quota, charges);
    }
    QuotaStore.Shortfall shortfall = quota.chargeAll(charges);
    return shortfall == null ? CHARGED : new Verdict(Map.of(), shortfall);
  }

  /** Returns the entry of a recipient among entries found by normalized address. */
  public static Optional<Suppression> entryOf(Map<String, Suppression> found, InternetAddress recipient) {
    String address = normalized(recipient);
    return address == null ? Optional.empty() : Optional.ofNullable(found.get(address));
  }

  private static List<String> addresses(List<InternetAddress> recipients) {
    List<String> addresses = new ArrayList<>(recipients.size());
    for (InternetAddress recipient : recipients) {
      String address = normalized(recipient);
      if (address != null) {
        addresses.add(address);
      }
    }
    return addresses;
  }

  /** Returns the normalized address of a recipient, or null when it is not an address (never listed). */
  private static String normalized(InternetAddress recipient) {
    try {
      return SuppressionList.normalize(recipient.getAddress());
    } catch (IllegalArgumentException | NullPointerException notAnAddress) {
      return null;
    }
  }
}
