package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.internal.chain.DsnRequest;
import org.mailwarden.internal.chain.Outgoing;

class ReportsTest {
  private final InternetAddress a = address("a@example.com");
  private final InternetAddress b = address("b@example.com");
  private final InternetAddress c = address("c@example.com");
  private final RejectedRecipient droppedC = new RejectedRecipient(c, RecipientReason.DENIED_DOMAIN, "no");

  private static InternetAddress address(String s) {
    try {
      return new InternetAddress(s);
    } catch (MessagingException e) {
      throw new AssertionError(e);
    }
  }

  private Outgoing outgoing() {
    return Outgoing.of(new MimeMessage(Session.getInstance(new Properties())), "s@example.com", List.of(a, b, c));
  }

  /** As it reached delivery: c dropped, DSN requested. */
  private Outgoing delivered() {
    return outgoing().dropping(List.of(a, b), List.of(droppedC))
        .withDsn(new DsnRequest("HDRS", "E1", "FAILURE", false));
  }

  @Test
  void aServerFailureListsEveryRecipientItDidNotNameAsUnsent() {
    SendFailedException failure = new SendFailedException("550", null, null, null, new Address[] {b});

    SendReport report = Reports.ofFailure("app", delivered(), failure);

    assertThat(report.accepted()).isEmpty();
    assertThat(report.refusedByServer()).containsExactly(b);
    assertThat(report.unsent()).containsExactly(a);
    assertThat(report.refused()).containsExactly(droppedC);
    assertThat(report.envelopeId()).contains("E1");
    assertThat(report.dsnParameters()).contains("RET=HDRS ENVID=E1 NOTIFY=FAILURE");
  }

  @Test
  void aRefusalReportsEarlierDropsAndItsRejectionsAndNoDsn() {
    RejectedRecipient rejectedB = new RejectedRecipient(b, RecipientReason.SUPPRESSED, "listed");
    RecipientRejectedException refusal = new RecipientRejectedException(List.of(rejectedB), null, new Address[] {a});

    SendReport report = Reports.ofFailure("app", delivered(), refusal);

    assertThat(report.refused()).containsExactly(droppedC, rejectedB);
    assertThat(report.unsent()).containsExactly(a);
    assertThat(report.accepted()).isEmpty();
    assertThat(report.envelopeId()).isEmpty();
    assertThat(report.dsnParameters()).isEmpty();
  }

  @Test
  void anyOtherFailureLeavesEveryRecipientUnsent() {
    SendReport report = Reports.ofFailure("app", outgoing(), new IllegalStateException("bug"));
    assertThat(report.unsent()).containsExactly(a, b, c);
    assertThat(report.refused()).isEmpty();
  }

  @Test
  void aServerFailureOfAMessageWithDroppedRecipientsSaysBoth() {
    SendFailedException failure = new SendFailedException("550", null, new Address[] {a}, null, new Address[] {b});

    MessagingException thrown = Reports.toThrow(delivered(), failure);

    assertThat(thrown).isInstanceOfSatisfying(RecipientRejectedException.class, r -> {
      assertThat(r.getRejections()).containsExactly(droppedC);
      assertThat(r.getValidSentAddresses()).containsExactly(a);
      assertThat(r.getNextException()).isSameAs(failure);
    });
  }

  @Test
  void refusalsAndFailuresWithoutDropsAreThrownAsTheyAre() {
    SendFailedException failure = new SendFailedException("550");
    SendRefusedException refusal = new SendRefusedException(RefusalReason.PAUSED, "paused", new Address[0]);
    assertThat(Reports.toThrow(outgoing(), failure)).isSameAs(failure);
    assertThat(Reports.toThrow(delivered(), refusal)).isSameAs(refusal);
  }
}
