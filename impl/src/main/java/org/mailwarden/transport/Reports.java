package org.mailwarden.transport;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.internal.chain.DsnRequest;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.util.MessageIds;

/**
 * Builds the report of a send that did not go through (a delivered send reports itself:
 * {@link org.mailwarden.internal.chain.Delivered#report}), and the exception the application gets.
 */
final class Reports {
  private Reports() {}

  /**
   * Returns the report of a failed send.
   *
   * @param o the message as far as it got: as it reached delivery when delivery failed, else as the
   *     application gave it
   * @param failure a policy's refusal, the server's failure, or anything else thrown on the way
   */
  static SendReport ofFailure(String app, Outgoing o, Exception failure) {
    if (failure instanceof SendRefusedException refusal) {
      return refused(app, o, refusal);
    }
    if (failure instanceof SendFailedException serverFailure) {
      return failed(app, o, serverFailure);
    }
    return of(app, o, List.of(), List.of(), o.recipients());
  }

  /**
   * Returns the exception the application gets for a failed send: the failure as it is, except that
   * a server's failure of a message whose recipients were also dropped says both in one exception.
   */
  static MessagingException toThrow(Outgoing o, MessagingException failure) {
    if (failure instanceof SendRefusedException || !(failure instanceof SendFailedException serverFailure)
        || o.dropped().isEmpty()) {
      return failure;
    }
    RecipientRejectedException r = new RecipientRejectedException(o.dropped(),
        serverFailure.getValidSentAddresses(), serverFailure.getValidUnsentAddresses());
    r.setNextException(serverFailure);
    return r;
  }

  static SendReport of(String app, Outgoing o, List<? extends Address> accepted,
      List<? extends Address> refusedByServer, List<? extends Address> unsent) {
    DsnRequest dsn = o.dsn();
    return new SendReport(app, dsn.envid(), MessageIds.of(o.message()),
        dsn.isRequested() ? dsn.describe() : null, new ArrayList<>(accepted), o.dropped(),
        new ArrayList<>(refusedByServer), new ArrayList<>(unsent), o.tenant(), o.wouldRefuse());
  }

  /** The report of a refusal: what was dropped before, plus what the refusal rejects; no DSN sent. */
  static SendReport refused(String app, Outgoing o, SendRefusedException refusal) {
    List<RejectedRecipient> refused = new ArrayList<>(o.dropped());
    if (refusal instanceof RecipientRejectedException r) {
      refused.addAll(r.getRejections());
    }
    Outgoing withRefused = o.dropping(o.recipients(), refused.subList(o.dropped().size(), refused.size()));
    return of(app, withRefused.withDsn(DsnRequest.NONE), List.of(), List.of(),
        Arrays.asList(refusal.getValidUnsentAddresses()));
  }

  /**
   * The report of a send the server failed. Angus reports some failures with no recipient lists at all
   * (an {@code SMTPAddressFailedException} for a connection lost at {@code RCPT TO}); a recipient in
   * none of the three lists was not sent to, so the report lists it as unsent.
   */
  static SendReport failed(String app, Outgoing o, SendFailedException failure) {
    List<Address> sent = list(failure.getValidSentAddresses());
    List<Address> invalid = list(failure.getInvalidAddresses());
    List<Address> unsent = new ArrayList<>(list(failure.getValidUnsentAddresses()));
    for (InternetAddress r : o.recipients()) {
      if (!sent.contains(r) && !invalid.contains(r) && !unsent.contains(r)) {
        unsent.add(r);
      }
    }
    return of(app, o, sent, invalid, unsent);
  }

  private static List<Address> list(Address[] addresses) {
    return addresses == null ? List.of() : Arrays.asList(addresses);
  }
}
