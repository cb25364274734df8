package org.mailwarden.internal.chain;

import jakarta.mail.Address;
import java.util.List;
import java.util.Objects;
import org.mailwarden.SendReport;
import org.mailwarden.internal.util.MessageIds;

/**
 * What the server did with a message that was handed to it. Immutable, except that the report is
 * built once, at the first {@link #report(String)} (the suppression policy and the transport both
 * need it); like the rest of a send, an instance is used by one thread.
 */
public final class Delivered {
  private final Outgoing outgoing;
  private final List<Address> accepted;
  private final List<Address> refused;
  private final List<Address> unsent;
  private SendReport report;

  /**
   * @param outgoing the message as delivered, after every policy
   * @param accepted recipients the server accepted
   * @param refused recipients the server refused
   * @param unsent valid recipients not sent to
   */
  public Delivered(Outgoing outgoing, List<? extends Address> accepted,
      List<? extends Address> refused, List<? extends Address> unsent) {
    this.outgoing = Objects.requireNonNull(outgoing, "outgoing");
    this.accepted = List.copyOf(accepted);
    this.refused = List.copyOf(refused);
    this.unsent = List.copyOf(unsent);
  }

  /** Returns the message as delivered, after every policy. */
  public Outgoing outgoing() {
    return outgoing;
  }

  /** Returns the recipients the server accepted. */
  public List<Address> accepted() {
    return accepted;
  }

  /** Returns the recipients the server refused. */
  public List<Address> refused() {
    return refused;
  }

  /** Returns the valid recipients not sent to. */
  public List<Address> unsent() {
    return unsent;
  }

  /** Returns the report of this delivery for an application, built at the first call. */
  public SendReport report(String app) {
    if (report == null || !report.app().equals(app)) {
      DsnRequest dsn = outgoing.dsn();
      report = new SendReport(app, dsn.envid(), MessageIds.of(outgoing.message()),
          dsn.isRequested() ? dsn.describe() : null,
          accepted, outgoing.dropped(), refused, unsent, outgoing.tenant(), outgoing.wouldRefuse());
    }
    return report;
  }

  @Override
  public String toString() {
    return "Delivered[accepted=" + accepted + ", refused=" + refused + ", unsent=" + unsent + ']';
  }
}
