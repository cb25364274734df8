package org.mailwarden.internal.chain;

import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.WouldBeRefusal;

/**
 * A message on its way through the policy chain: immutable, so a policy changes it by passing a new
 * instance to {@link Policy.Chain#proceed(Outgoing)}.
 *
 * @param message the application's message, never modified by Mailwarden
 * @param envelopeFrom the envelope sender (MAIL FROM) the delegate will use, or null when it will
 *     fall back to the local address
 * @param recipients the envelope recipients still to be sent to
 * @param dropped recipients a policy removed, with reasons ({@code recipients.on-invalid=drop-recipient})
 * @param dsn the DSN parameters to request; {@link DsnRequest#NONE} until the DSN policy sets them
 * @param from the message's From header, parsed once for the whole send
 * @param tenant the tenant the message is sent for, or null
 * @param wouldRefuse refusals decided but not enforced ({@code mode=report-only}), in chain order
 */
public record Outgoing(Message message, String envelopeFrom, List<InternetAddress> recipients,
    List<RejectedRecipient> dropped, DsnRequest dsn, FromHeader from, String tenant,
    List<WouldBeRefusal> wouldRefuse) {

  public Outgoing {
    Objects.requireNonNull(message, "message");
    recipients = List.copyOf(recipients);
    dropped = List.copyOf(dropped);
    Objects.requireNonNull(dsn, "dsn");
    Objects.requireNonNull(from, "from");
    wouldRefuse = List.copyOf(wouldRefuse);
  }

  /** A message without a tenant, nothing reported. */
  public Outgoing(Message message, String envelopeFrom, List<InternetAddress> recipients,
      List<RejectedRecipient> dropped, DsnRequest dsn, FromHeader from) {
    this(message, envelopeFrom, recipients, dropped, dsn, from, null, List.of());
  }

  /** Starts a message with nothing dropped and no DSN parameters, parsing its From header. */
  public static Outgoing of(Message message, String envelopeFrom, List<InternetAddress> recipients) {
    return of(message, envelopeFrom, recipients, FromHeader.of(message));
  }

  /** Starts a message with nothing dropped and no DSN parameters, its From header already parsed. */
  public static Outgoing of(Message message, String envelopeFrom, List<InternetAddress> recipients,
      FromHeader from) {
    return new Outgoing(message, envelopeFrom, recipients, List.of(), DsnRequest.NONE, from);
  }

  /** Returns a copy sent for a tenant (null: none). */
  public Outgoing forTenant(String name) {
    return new Outgoing(message, envelopeFrom, recipients, dropped, dsn, from, name, wouldRefuse);
  }

  /** Returns a copy that records one more refusal decided but not enforced. */
  public Outgoing reporting(WouldBeRefusal refusal) {
    List<WouldBeRefusal> all = new ArrayList<>(wouldRefuse);
    all.add(refusal);
    return new Outgoing(message, envelopeFrom, recipients, dropped, dsn, from, tenant, all);
  }

  /** Returns a copy sent only to {@code kept}, with {@code removed} added to the dropped recipients. */
  public Outgoing dropping(List<InternetAddress> kept, List<RejectedRecipient> removed) {
    List<RejectedRecipient> all = new ArrayList<>(dropped);
    all.addAll(removed);
    return new Outgoing(message, envelopeFrom, kept, all, dsn, from, tenant, wouldRefuse);
  }

  /** Returns a copy with the given DSN request (this one when it already has it). */
  public Outgoing withDsn(DsnRequest request) {
    return request == dsn ? this
        : new Outgoing(message, envelopeFrom, recipients, dropped, request, from, tenant, wouldRefuse);
  }

  /** Returns the recipients as the array Jakarta Mail expects. */
  public InternetAddress[] recipientArray() {
    return recipients.toArray(new InternetAddress[0]);
  }
}
