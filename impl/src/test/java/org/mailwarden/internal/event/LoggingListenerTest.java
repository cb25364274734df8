package org.mailwarden.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.suppression.Reputation;
import org.mailwarden.testing.LogCapture;

class LoggingListenerTest {
  private final LoggingListener masked = new LoggingListener("shop", false);

  private static InternetAddress address(String a) throws Exception {
    return new InternetAddress(a);
  }

  private static SendReport report(List<Address> accepted, List<RejectedRecipient> refused,
      List<Address> refusedByServer, List<Address> unsent) {
    return new SendReport("shop", null, null, null, accepted, refused, refusedByServer, unsent);
  }

  @Test
  void aRefusedMessageIsLoggedWithItsReasonOnly() {
    try (LogCapture logs = new LogCapture()) {
      masked.refused(report(List.of(), List.of(), List.of(), List.of()),
          new SendRefusedException(RefusalReason.QUOTA_EXCEEDED, "no", new Address[0]));
      assertThat(logs.messages(Level.INFO)).containsExactly("app=shop refused a message: quota-exceeded");
    }
  }

  @Test
  void outcomesCarryKeyValuesForStructuredLogsButNoAddresses() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      masked.refused(new SendReport("shop", "env-1", "<m1@example.com>", null, List.of(),
          List.of(), List.of(), List.of()),
          new SendRefusedException(RefusalReason.QUOTA_EXCEEDED, "no", new Address[0]));
      assertThat(logs.events()).singleElement().satisfies(e -> {
        java.util.Map<String, Object> kv = new java.util.LinkedHashMap<>();
        e.getKeyValuePairs().forEach(p -> kv.put(p.key, p.value));
        assertThat(kv).containsEntry("mailwarden.app", "shop").containsEntry("mailwarden.outcome", "refused")
            .containsEntry("mailwarden.reason", "quota-exceeded").containsEntry("mailwarden.envid", "env-1")
            .containsEntry("mailwarden.message-id", "<m1@example.com>").containsEntry("mailwarden.accepted", 0);
      });
    }
  }

  @Test
  void aPartlyDeliveredMessageLogsTheAcceptedAndTheDroppedMasked() throws Exception {
    RejectedRecipient dropped = new RejectedRecipient(address("boss.man@competitor.example"),
        RecipientReason.DENIED_DOMAIN, "denied");
    try (LogCapture logs = new LogCapture()) {
      masked.refused(report(List.of(address("jane.doe@example.com")), List.of(dropped), List.of(), List.of()),
          new RecipientRejectedException(List.of(dropped), new Address[0], new Address[0]));
      assertThat(logs.messages(Level.INFO)).singleElement().satisfies(m -> {
        assertThat(m).startsWith("app=shop sent to ").contains(", dropped [").contains("=denied-domain]");
        assertThat(m).doesNotContain("jane.doe@", "boss.man@");
      });
    }
  }

  @Test
  void aServerFailureCountsWhatWasNotSentOfAllRecipients() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      masked.failed(report(List.of(address("a@example.com")), List.of(), List.of(address("b@example.com")),
          List.of(address("c@example.com"))), new SendFailedException("550"));
      masked.failed(report(List.of(), List.of(), List.of(), List.of(address("a@example.com"))),
          new MessagingException("connection refused"));
      masked.failedUnchecked(report(List.of(), List.of(), List.of(), List.of()), new IllegalStateException());
      assertThat(logs.messages(Level.INFO)).containsExactly(
          "app=shop the server refused 2 of 3 recipients (SendFailedException)",
          "app=shop delivery failed: MessagingException",
          "app=shop delivery failed: IllegalStateException");
    }
  }

  @Test
  void aPlainSendIsLoggedAtDebugOnly() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      masked.sent(report(List.of(address("jane.doe@example.com")), List.of(), List.of(), List.of()));
      assertThat(logs.messages(Level.INFO)).isEmpty();
      assertThat(logs.messages(Level.DEBUG)).singleElement()
          .satisfies(m -> assertThat(m).startsWith("app=shop sent to ").endsWith("(no DSN)")
              .doesNotContain("jane.doe@"));
    }
  }

  @Test
  void aRetryIsLoggedWithTheServerAndTheFailureMasked() {
    try (LogCapture logs = new LogCapture()) {
      masked.retrying("shop", "relay:25", new MessagingException("lost jane.doe@example.com"));
      assertThat(logs.messages(Level.INFO)).singleElement().satisfies(m -> assertThat(m)
          .startsWith("app=shop lost the connection to relay:25 before the message data (")
          .endsWith("); sending once more on a fresh connection").doesNotContain("jane.doe@"));
    }
  }

  @Test
  void reputationChangesAreLoggedAtTheLevelOfTheNewState() {
    try (LogCapture logs = new LogCapture()) {
      masked.reputationChanged(new Reputation("shop", Reputation.State.PAUSED, 10, 5, 0));
      masked.reputationChanged(new Reputation("shop", Reputation.State.WARNING, 10, 1, 0));
      masked.reputationChanged(new Reputation("shop", Reputation.State.OK, 10, 0, 0));
      assertThat(logs.messages(Level.ERROR)).singleElement()
          .satisfies(m -> assertThat(m).startsWith("app=shop is paused by the reputation guard: "));
      assertThat(logs.messages(Level.WARN)).singleElement()
          .satisfies(m -> assertThat(m).startsWith("app=shop reputation warning: "));
      assertThat(logs.messages(Level.INFO)).singleElement()
          .satisfies(m -> assertThat(m).startsWith("app=shop reputation back to ok: "));
    }
  }
}
