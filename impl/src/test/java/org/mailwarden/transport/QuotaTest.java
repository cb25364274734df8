package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RefusalReason;
import org.mailwarden.internal.Environment;
import org.mailwarden.testing.FakeTime;
import org.mailwarden.testing.Mails;

/**
 * Application-wide and per-domain quotas, counted at a real (in-JVM) SMTP server. The quotas run on a
 * fake clock that moves only when a send waits for quota ({@code limit.max-wait}), so no result
 * depends on how fast the sends happen.
 */
class QuotaTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final FakeTime time = new FakeTime();
  /** Waiting for quota advances the fake clock by the time waited, at once. */
  private final Environment environment =
      Environment.create(time, time, nanos -> time.advance(Duration.ofNanos(nanos)));

  @AfterEach
  void closeEnvironment() {
    environment.close();
  }

  private Properties properties() {
    Properties p = Mails.properties(greenMail.getSmtp().getPort());
    p.put(Environment.KEY, environment);
    return p;
  }

  private int delivered() {
    return greenMail.getReceivedMessages().length;
  }

  @Test
  void messagesPerMinuteDeliversExactlyTheLimitFromOneThreadAndRefusesTheRestWithRetryAfter()
      throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.limit.messages-per-minute", "10");
    Session session = Mails.session(p);
    List<QuotaExceededException> refusals = new ArrayList<>();

    for (int i = 0; i < 25; i++) {
      try {
        Transport.send(Mails.message(session, "jane@example.com"));
      } catch (QuotaExceededException e) {
        refusals.add(e);
      }
    }

    assertThat(delivered()).isEqualTo(10);
    assertThat(refusals).hasSize(15).allSatisfy(e -> {
      assertThat(e.getReason()).isEqualTo(RefusalReason.QUOTA_EXCEEDED);
      assertThat(e.getLimit()).isEqualTo("limit.messages-per-minute");
      assertThat(e.getRetryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
      assertThat(e.getValidSentAddresses()).isEmpty();
    });
  }

  @Test
  void messagesPerMinuteIsExactUnderThirtyTwoConcurrentThreads() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.limit.messages-per-minute", "10");
    Session session = Mails.session(p);
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch start = new CountDownLatch(1);
    List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        try {
          Transport.send(Mails.message(session, "jane@example.com"));
        } catch (QuotaExceededException e) {
          refused.add(e);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(delivered()).isEqualTo(10);
    assertThat(refused).hasSize(22);
  }

  @Test
  void recipientQuotaCountsEveryRecipient() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.limit.recipients-per-minute", "5");
    Session session = Mails.session(p);

    Transport.send(Mails.message(session, "a@example.com", "b@example.com", "c@example.com"));
    assertThatThrownBy(() -> Transport.send(
        Mails.message(session, "d@example.com", "e@example.com", "f@example.com")))
        .isInstanceOfSatisfying(QuotaExceededException.class,
            e -> assertThat(e.getLimit()).isEqualTo("limit.recipients-per-minute"));
    Transport.send(Mails.message(session, "d@example.com", "e@example.com"));

    assertThat(delivered()).isEqualTo(5); // GreenMail stores one copy per recipient
  }

  @Test
  void refusedMessageGivesBackTheTokensOfOtherLimits() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.limit.messages-per-minute", "2");
    p.put("mail.mailwarden.limit.recipients-per-minute", "3");
    Session session = Mails.session(p);

    Transport.send(Mails.message(session, "a@example.com", "b@example.com"));
    // two recipients more than the recipient quota allows: refused, and its message token returned
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "c@example.com", "d@example.com")))
        .isInstanceOf(QuotaExceededException.class);
    Transport.send(Mails.message(session, "c@example.com"));

    assertThat(delivered()).isEqualTo(3);
  }

  @Test
  void domainQuotaAppliesToItsDomainAlone() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.limit.domain.slow.example.recipients-per-minute", "2");
    Session session = Mails.session(p);

    Transport.send(Mails.message(session, "a@slow.example"));
    Transport.send(Mails.message(session, "b@SLOW.example"));
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "c@slow.example")))
        .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.getLimit())
            .isEqualTo("limit.domain.slow.example.recipients-per-minute"));
    for (int i = 0; i < 5; i++) {
      Transport.send(Mails.message(session, "x" + i + "@fast.example"));
    }

    assertThat(delivered()).isEqualTo(7);
  }

  @Test
  void maxWaitLetsASendWaitForATokenAndSucceed() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.limit.messages-per-second", "2");
    p.put("mail.mailwarden.limit.max-wait", "2s");
    Session session = Mails.session(p);
    Transport.send(Mails.message(session, "a@example.com"));
    Transport.send(Mails.message(session, "b@example.com"));

    long start = time.read();
    Transport.send(Mails.message(session, "c@example.com"));
    Duration waited = Duration.ofNanos(time.read() - start);

    assertThat(delivered()).isEqualTo(3);
    assertThat(waited).as("the time one token takes to refill").isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void maxWaitShorterThanTheRefillRefusesWithoutWaitingPastIt() throws Exception {
    Properties p = properties();
    p.put("mail.mailwarden.limit.messages-per-minute", "1");
    p.put("mail.mailwarden.limit.max-wait", "300ms");
    Session session = Mails.session(p);
    Transport.send(Mails.message(session, "a@example.com"));

    long start = time.read();
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "b@example.com")))
        .isInstanceOfSatisfying(QuotaExceededException.class,
            e -> assertThat(e.getRetryAfter()).isEqualTo(Duration.ofMinutes(1)));
    Duration waited = Duration.ofNanos(time.read() - start);

    assertThat(waited).as("no wait: the token would come after max-wait").isZero();
    assertThat(delivered()).isEqualTo(1);
  }

  @Test
  void twoApplicationNamesInOneJvmHaveSeparateQuotas() throws Exception {
    Properties first = properties();
    first.put("mail.mailwarden.limit.messages-per-minute", "1");
    Properties second = properties();
    second.put("mail.mailwarden.limit.messages-per-minute", "1");
    assertThat(first.get("mail.mailwarden.app")).isNotEqualTo(second.get("mail.mailwarden.app"));

    Transport.send(Mails.message(Mails.session(first), "a@example.com"));
    Transport.send(Mails.message(Mails.session(second), "b@example.com"));
    assertThatThrownBy(() -> Transport.send(Mails.message(Mails.session(first), "c@example.com")))
        .isInstanceOf(QuotaExceededException.class);

    assertThat(delivered()).isEqualTo(2);
  }

  @Test
  void twoSessionsWithTheSameApplicationNameShareTheQuota() throws Exception {
    Properties first = properties();
    first.put("mail.mailwarden.limit.messages-per-minute", "1");
    Properties second = new Properties();
    second.putAll(first);

    Transport.send(Mails.message(Mails.session(first), "a@example.com"));
    assertThatThrownBy(() -> Transport.send(Mails.message(Mails.session(second), "b@example.com")))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(delivered()).isEqualTo(1);
  }

  @Test
  void defaultRecipientRateAdmitsAFullMessageOfFiftyRecipientsIntoAFullBucket() throws Exception {
    Session session = Mails.session(properties());
    String[] fifty = new String[50];
    for (int i = 0; i < 50; i++) {
      fifty[i] = "r" + i + "@example.com";
    }
    Transport.send(Mails.message(session, fifty));
    assertThatThrownBy(() -> Transport.send(Mails.message(session, "late@example.com")))
        .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
          assertThat(e.getLimit()).isEqualTo("limit.recipients-per-second");
          assertThat(e.getRetryAfter()).isGreaterThan(Duration.ofSeconds(2));
        });
    assertThat(delivered()).isEqualTo(50);
  }
}
