package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenListener;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.SendReport;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.internal.Environment;
import org.mailwarden.internal.suppression.Deliverability;
import org.mailwarden.suppression.Suppression;
import org.mailwarden.suppression.SuppressionList;
import org.mailwarden.testing.FakeTime;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SendOnce;
import org.mailwarden.testing.SmtpSink;

/** The suppression list on the send path: synchronous refusals, recorded bounces, restarts, correlation. */
class SuppressionTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir
  Path dir;

  private static BouncedRecipient bounce(String to, BounceReason reason, boolean hard, String envid,
      String messageId) {
    return new BouncedRecipient(to, "failed", hard ? "5.1.1" : "4.2.2", hard ? 550 : 452,
        hard ? "no such user" : "mailbox full", reason, hard, envid, messageId, null);
  }

  private static void assertSuppressedOnSend(Session session, String to) {
    assertThatThrownBy(() -> Transport.send(Mails.message(session, to)))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.getRejections()).extracting(r -> r.reason()).containsExactly(RecipientReason.SUPPRESSED);
          assertThat(e.getMessage()).contains("suppressed");
          assertThat(e.getValidSentAddresses()).isEmpty();
        });
  }

  @Test
  void recipientRefusedWith550_511IsSuppressedAtOnceAndRefusedOnTheNextSend() throws Exception {
    try (SmtpSink sink = SmtpSink.start("-f", "RCPT", "-B", "550 5.1.1 no such user")) {
      Properties p = Mails.properties(sink.port());
      p.put("mail.mailwarden.suppression.file", dir.resolve("s.journal").toString());
      Session session = Mails.session(p);

      assertThatThrownBy(() -> Transport.send(Mails.message(session, "Gone.User@Example.com")))
          .isInstanceOf(SendFailedException.class)
          .isNotInstanceOf(RecipientRejectedException.class);

      Suppression s = Mailwarden.suppressions(session).find("gone.user@example.com").orElseThrow();
      assertThat(s.source()).isEqualTo("smtp");
      assertThat(s.reason()).contains("550", "5.1.1", "no such user");
      assertThat(s.expiresAt()).isNull();
      assertSuppressedOnSend(session, "gone.user@EXAMPLE.com");
    }
  }

  @Test
  void suppressionFromA550SurvivesARestartInAnotherJvm() throws Exception {
    Path journal = dir.resolve("orders.suppressions");
    String app;
    try (SmtpSink refusing = SmtpSink.start("-f", "RCPT", "-B", "550 5.1.1 no such user")) {
      Properties p = Mails.properties(refusing.port());
      app = p.getProperty("mail.mailwarden.app");
      p.put("mail.mailwarden.suppression.file", journal.toString());
      assertThatThrownBy(() -> Transport.send(Mails.message(Mails.session(p), "gone@example.com")))
          .isInstanceOf(SendFailedException.class);
    }
    Deliverability.release(Environment.system(), app); // this JVM lets go of the file and its lock, as an exit would

    try (SmtpSink accepting = SmtpSink.start()) {
      assertThat(runInNewJvm(accepting.port(), app, journal, "gone@example.com"))
          .isEqualTo("refused suppressed");
      assertThat(runInNewJvm(accepting.port(), app, journal, "present@example.com")).isEqualTo("sent");
      assertThat(accepting.messages()).hasSize(1);
    }
  }

  @Test
  void storeReopenedFromItsFileInTheSameJvmStillRefuses() throws Exception {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.file", dir.resolve("s.journal").toString());
    Mailwarden.suppressions(Mails.session(p)).record(
        bounce("hard@example.com", BounceReason.USERUNKNOWN, true, null, null));
    Deliverability.release(Environment.system(), p.getProperty("mail.mailwarden.app"));

    Session fresh = Mails.session(p);
    assertThat(Mailwarden.suppressions(fresh).list()).extracting(Suppression::address)
        .containsExactly("hard@example.com");
    assertSuppressedOnSend(fresh, "hard@example.com");
  }

  private static String runInNewJvm(int port, String app, Path journal, String to) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        SendOnce.class.getName(), Integer.toString(port), app, journal.toString(), to)
        .redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  @Test
  void aTemporary4xxRefusalCountsAsSoftAndOnlyTheThirdSuppresses() throws Exception {
    try (SmtpSink sink = SmtpSink.start("-r", "RCPT")) {
      Properties p = Mails.properties(sink.port());
      p.put("mail.mailwarden.suppression.store", "memory");
      Session session = Mails.session(p);
      SuppressionList list = Mailwarden.suppressions(session);
      for (int i = 1; i <= 3; i++) {
        assertThat(list.find("busy@example.com")).as("after %d refusals", i - 1).isEmpty();
        assertThatThrownBy(() -> Transport.send(Mails.message(session, "busy@example.com")))
            .isInstanceOf(SendFailedException.class)
            .isNotInstanceOf(RecipientRejectedException.class);
      }
      assertThat(list.find("busy@example.com")).get()
          .satisfies(s -> assertThat(s.source()).isEqualTo("soft-threshold"));
      assertSuppressedOnSend(session, "busy@example.com");
    }
  }

  @Test
  void recordedHardBounceSuppresses() throws Exception {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.store", "memory");
    Session session = Mails.session(p);
    Mailwarden.suppressions(session).record(bounce("Jane@Example.org", BounceReason.USERUNKNOWN, true, null, null));

    assertThat(Mailwarden.suppressions(session).find("jane@example.org")).get()
        .satisfies(s -> {
          assertThat(s.source()).isEqualTo("bounce");
          assertThat(s.reason()).startsWith("userunknown 550 5.1.1");
        });
    assertSuppressedOnSend(session, "jane@example.org");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void complaintSuppressesButAutoRepliesAndDeliveriesNeverCount() throws Exception {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.store", "memory");
    p.put("mail.mailwarden.suppression.soft-threshold", "1");
    SuppressionList list = Mailwarden.suppressions(Mails.session(p));
    list.record(new BouncedRecipient("away@example.org", "", "", 0, "", BounceReason.VACATION, false,
        null, null, null));
    list.record(new BouncedRecipient("ok@example.org", "delivered", "2.0.0", 250, "",
        BounceReason.DELIVERED, false, null, null, null));
    list.record(new BouncedRecipient("late@example.org", "delayed", "4.4.7", 0, "",
        BounceReason.EXPIRED, false, null, null, null));
    list.record(new BouncedRecipient("angry@example.org", "", "", 0, "", BounceReason.FEEDBACK, false,
        null, null, "abuse"));

    assertThat(list.list()).extracting(Suppression::address, Suppression::source)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("angry@example.org", "complaint"));
  }

  @Test
  void softFailuresSuppressOnlyWhenThreeFallWithinTheWindow() throws Exception {
    FakeTime time = new FakeTime();
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.store", "memory");
    try (Environment environment = Environment.create(time, time)) {
      p.put(Environment.KEY, environment); // the soft-failure window runs on fake time
      SuppressionList list = Mailwarden.suppressions(Mails.session(p));
      BouncedRecipient full = bounce("full@example.org", BounceReason.MAILBOXFULL, false, null, null);

      list.record(full);
      assertThat(list.find("full@example.org")).as("one soft failure").isEmpty();
      list.record(full);
      time.advance(Duration.ofDays(7).plusSeconds(1)); // the first two fall out of the 7-day window
      list.record(full);
      list.record(full);
      assertThat(list.find("full@example.org")).as("two within the window").isEmpty();
      time.advance(Duration.ofDays(6));
      list.record(full);
      assertThat(list.find("full@example.org")).as("three within the window").get()
          .satisfies(s -> assertThat(s.reason()).startsWith("3 soft failures within 7d"));
    }
  }

  @Test
  void dropRecipientSendsToTheRestWhenOneIsSuppressed() throws Exception {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.store", "memory");
    p.put("mail.mailwarden.recipients.on-invalid", "drop-recipient");
    Session session = Mails.session(p);
    Mailwarden.suppressions(session).suppress("gone@example.com", "userunknown", "manual");

    assertThatThrownBy(() -> Transport.send(Mails.message(session, "a@example.com", "gone@example.com",
        "b@example.com")))
        .isInstanceOfSatisfying(RecipientRejectedException.class, e -> {
          assertThat(e.isPartiallySent()).isTrue();
          assertThat(e.getValidSentAddresses()).extracting(Address::toString)
              .containsExactly("a@example.com", "b@example.com");
          assertThat(e.getRejections()).extracting(r -> r.address().toString(), r -> r.reason())
              .containsExactly(org.assertj.core.groups.Tuple.tuple("gone@example.com", RecipientReason.SUPPRESSED));
        });
    MimeMessage[] received = greenMail.getReceivedMessages();
    assertThat(received).hasSize(2); // one copy per accepted recipient in GreenMail
    assertThat(greenMail.getReceivedMessagesForDomain("example.com")).hasSize(2);
  }

  @Test
  void removedAddressIsSentToAgain() throws Exception {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.store", "memory");
    Session session = Mails.session(p);
    SuppressionList list = Mailwarden.suppressions(session);
    list.suppress("back@example.com", "userunknown", "manual");
    assertSuppressedOnSend(session, "back@example.com");

    assertThat(list.remove("BACK@example.com")).isTrue();
    assertThat(list.remove("back@example.com")).isFalse();
    Transport.send(Mails.message(session, "back@example.com"));
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void bounceWithTheEnvidOfASendReachesListenersWithTheOriginalReport() throws Exception {
    List<SendReport> originals = new ArrayList<>();
    List<BouncedRecipient> bounces = new ArrayList<>();
    MailwardenListener listener = new MailwardenListener() {
      @Override
      public void bounced(SendReport original, BouncedRecipient bounce) {
        originals.add(original);
        bounces.add(bounce);
      }
    };
    try (SmtpSink sink = SmtpSink.start()) {
      Properties p = Mails.properties(sink.port());
      p.put("mail.mailwarden.suppression.store", "memory");
      p.put("mail.mailwarden.listener", listener);
      Session session = Mails.session(p);
      SendReport sent = Mailwarden.send(Mails.message(session, "x@example.com", "y@example.com"));
      String envid = sent.envelopeId().orElseThrow();
      assertThat(sink.messages().get(0).mailParameter("ENVID")).isEqualTo(envid);

      SuppressionList list = Mailwarden.suppressions(session);
      list.record(bounce("y@example.com", BounceReason.USERUNKNOWN, true, envid, null));
      list.record(bounce("x@example.com", BounceReason.MAILBOXFULL, false, null,
          sent.messageId().orElseThrow()));
      list.record(bounce("z@example.com", BounceReason.USERUNKNOWN, true, "unknown-envid", "<nope@x>"));

      assertThat(originals).hasSize(2);
      assertThat(originals.get(0).envelopeId()).contains(envid);
      assertThat(originals.get(0).messageId()).isEqualTo(sent.messageId());
      assertThat(originals.get(0).app()).isEqualTo(p.getProperty("mail.mailwarden.app"));
      assertThat(originals.get(0).accepted()).extracting(Address::toString)
          .containsExactly("x@example.com", "y@example.com");
      assertThat(originals.get(1).envelopeId()).contains(envid);
      assertThat(bounces).extracting(BouncedRecipient::recipient)
          .containsExactly("y@example.com", "x@example.com");
    }
  }
}
