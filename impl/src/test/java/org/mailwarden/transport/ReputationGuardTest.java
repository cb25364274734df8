package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenListener;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.internal.Environment;
import org.mailwarden.suppression.Reputation;
import org.mailwarden.suppression.Reputation.State;
import org.mailwarden.suppression.SuppressionList;
import org.mailwarden.testing.FakeTime;
import org.mailwarden.testing.Mails;

/** The reputation guard pauses on high bounce or complaint rates and resumes as configured; time is injected. */
class ReputationGuardTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final FakeTime time = new FakeTime();
  private final Environment environment = Environment.create(time, time);
  private final List<Reputation> events = new ArrayList<>();

  private Session session(String... keys) {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put("mail.mailwarden.suppression.store", "memory");
    p.put("mail.mailwarden.limit.recipients-per-second", "0");
    p.put("mail.mailwarden.reputation.min-sends", "20");
    p.put("mail.mailwarden.reputation.window", "1h");
    for (int i = 0; i < keys.length; i += 2) {
      p.put("mail.mailwarden." + keys[i], keys[i + 1]);
    }
    p.put("mail.mailwarden.listener", new MailwardenListener() {
      @Override
      public void reputationChanged(Reputation reputation) {
        events.add(reputation);
      }
    });
    p.put(Environment.KEY, environment); // the guard runs on the fake time
    return Mails.session(p);
  }

  @AfterEach
  void closeEnvironment() {
    environment.close();
  }

  private int sent;

  /** Sends messages to addresses never used before (r0, r1, ...), so none of them is suppressed. */
  private void send(Session session, int messages) throws Exception {
    for (int i = 0; i < messages; i++) {
      Transport.send(Mails.message(session, "r" + sent++ + "@example.com"));
    }
  }

  private static BouncedRecipient hard(String to) {
    return new BouncedRecipient(to, "failed", "5.1.1", 550, "no such user", BounceReason.USERUNKNOWN,
        true, null, null, null);
  }

  private static void assertPaused(Session session) {
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "next@example.com")))
        .isInstanceOfSatisfying(SendRefusedException.class, e -> {
          assertThat(e.getReason()).isEqualTo(RefusalReason.PAUSED);
          assertThat(e.getReason().code()).isEqualTo("paused");
          assertThat(e.getMessage()).contains("resume");
        });
  }

  @Test
  void bounceRateWarnsAtFivePercentPausesAtTenAndOnlyAnOperatorResumes() throws Exception {
    Session session = session();
    send(session, 20);
    SuppressionList list = Mailwarden.suppressions(session);

    list.record(hard("r0@example.com"));
    assertThat(events).extracting(Reputation::state).containsExactly(State.WARNING);
    send(session, 1); // a warning does not stop sending; 1 in 21 is below 5% again
    assertThat(events).extracting(Reputation::state).containsExactly(State.WARNING, State.OK);

    list.record(hard("r1@example.com")); // 2 in 21: 9.5%
    list.record(hard("r2@example.com")); // 3 in 21: 14%
    assertThat(events).extracting(Reputation::state)
        .containsExactly(State.WARNING, State.OK, State.WARNING, State.PAUSED);
    assertThat(events.get(3).bounces()).isEqualTo(3);
    assertThat(events.get(3).sends()).isEqualTo(21);
    int received = greenMail.getReceivedMessages().length;
    assertPaused(session);
    time.advance(Duration.ofHours(5));
    assertPaused(session); // manual resume: the window emptying out does not end the pause
    assertThat(greenMail.getReceivedMessages()).hasSize(received);

    Mailwarden.reputation(session).resume();
    assertThat(Mailwarden.reputation(session).status().state()).isEqualTo(State.OK);
    assertThat(events).extracting(Reputation::state).endsWith(State.OK);
    send(session, 1);
    assertThat(greenMail.getReceivedMessages()).hasSize(received + 1);
  }

  @Test
  void complaintRateAbovePointFivePercentPausesAndAutoResumesWhenTheWindowRecovers() throws Exception {
    Session session = session("reputation.resume", "auto");
    send(session, 20);
    Mailwarden.suppressions(session).record(new BouncedRecipient("r3@example.com", "", "", 0, "",
        BounceReason.FEEDBACK, false, null, null, "abuse"));
    assertThat(events).extracting(Reputation::state).containsExactly(State.PAUSED);
    assertPaused(session);

    time.advance(Duration.ofMinutes(50));
    assertPaused(session); // the sends and the complaint are still in the 1h window
    time.advance(Duration.ofMinutes(15));
    send(session, 1);
    assertThat(events).extracting(Reputation::state).containsExactly(State.PAUSED, State.OK);
  }

  @Test
  void fewerSendsThanTheMinimumAreNotJudged() throws Exception {
    Session session = session();
    send(session, 5);
    for (int i = 0; i < 5; i++) {
      Mailwarden.suppressions(session).record(hard("r" + i + "@example.com"));
    }
    assertThat(Mailwarden.reputation(session).status())
        .satisfies(r -> {
          assertThat(r.state()).isEqualTo(State.OK);
          assertThat(r.bounceRate()).isEqualTo(1.0);
        });
    send(session, 1);
    assertThat(events).isEmpty();
  }

  @Test
  void synchronous511RefusalsCountAsBounces() throws Exception {
    Session session = session("reputation.min-sends", "2");
    try (org.mailwarden.testing.SmtpSink sink = org.mailwarden.testing.SmtpSink.start("-f", "RCPT", "-B",
        "550 5.1.1 no such user")) {
      Properties p = new Properties();
      p.putAll(session.getProperties());
      p.put("mail.smtp.port", Integer.toString(sink.port()));
      Session refusing = Mails.session(p);
      for (int i = 0; i < 2; i++) {
        int n = i;
        assertThatThrownBy(() -> Transport.send(Mails.message(refusing, "gone" + n + "@example.com")))
            .isInstanceOf(jakarta.mail.SendFailedException.class);
      }
      assertThat(Mailwarden.reputation(refusing).status())
          .satisfies(r -> assertThat(r.state()).isEqualTo(State.PAUSED))
          .satisfies(r -> assertThat(r.bounces()).isEqualTo(2));
    }
  }
}
