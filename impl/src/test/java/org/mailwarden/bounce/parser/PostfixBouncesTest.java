package org.mailwarden.bounce.parser;

import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailwarden.Mailwarden;
import org.mailwarden.SendReport;
import org.mailwarden.internal.bounce.BounceAnalyzer;
import org.mailwarden.internal.suppression.SuppressionRules;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.SmtpSink;

/**
 * Bounces produced here, at run time, by a real Postfix: messages sent through Mailwarden (ENVID,
 * RET=HDRS, NOTIFY=FAILURE,DELAY) to a private Postfix that relays them to smtp-sinks which refuse the
 * recipient, permanently or for now; the bounces and warnings Postfix writes back to the sender are
 * read from its maildir and parsed. Nothing here is copied from a corpus.
 */
class PostfixBouncesTest {
  private static final String UNKNOWN = "550 5.1.1 <j.doe@dest.example.org>: Recipient address rejected: "
      + "User unknown in local recipient table";

  private static SmtpSink refusing;
  private static SmtpSink busy;
  private static PrivatePostfix postfix;
  /** The records of every bounce Postfix returned, by the ENVID of the send it answers. */
  private static final Map<String, List<BouncedRecipient>> byEnvid = new HashMap<>();
  private static final Map<String, Map<String, String>> finalsByEnvid = new HashMap<>();
  private static final Map<String, String> envids = new LinkedHashMap<>();

  @BeforeAll
  static void sendAndCollectTheBounces() throws Exception {
    Assumptions.assumeTrue(PrivatePostfix.available(), "a private Postfix needs the Debian package postfix "
        + "and root (master runs as root)");
    refusing = SmtpSink.start("-f", "RCPT", "-B", UNKNOWN);
    busy = SmtpSink.start("-r", "RCPT", "-b", "452 4.2.2 <x@later.example.org>: Mailbox full, try again later");
    postfix = PrivatePostfix.start(Map.of(
            "dest.example.org", "smtp:[127.0.0.1]:" + refusing.port(),
            "later.example.org", "smtp:[127.0.0.1]:" + busy.port(),
            "soft.example.org", "softbounce:[127.0.0.1]:" + refusing.port()),
        Map.of("sales@alias.example.org", "j.doe@dest.example.org"));
    Properties p = Mails.properties(postfix.port(), "mail.smtp.from", PrivatePostfix.SENDER,
        "mail.mailwarden.dsn.notify", "FAILURE,DELAY");
    for (String to : List.of("sales@alias.example.org", "nobody@dest.example.org", "x@later.example.org",
        "y@soft.example.org")) {
      MimeMessage m = Mails.message(Mails.session(p), to);
      SendReport report = Mailwarden.send(m);
      envids.put(to, report.envelopeId().orElseThrow());
    }
    // one bounce or warning per message: two refused for good, two deferred past delay_warning_time
    List<byte[]> bounces = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(postfix::bounces, l -> l.size() >= envids.size());
    for (byte[] raw : bounces) {
      BounceAnalyzer.Result r = BounceAnalyzer.analyze(raw, raw.length, -1);
      assertThat(BounceParser.parse(raw)).isEqualTo(r.recipients());
      for (BouncedRecipient b : r.recipients()) {
        byEnvid.computeIfAbsent(b.envelopeId(), k -> new java.util.ArrayList<>()).add(b);
        finalsByEnvid.put(b.envelopeId(), r.finalRecipients());
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    if (refusing != null) {
      refusing.close();
    }
    if (busy != null) {
      busy.close();
    }
  }

  private static BouncedRecipient bounceOf(String to) {
    List<BouncedRecipient> records = byEnvid.get(envids.get(to));
    assertThat(records).as("the bounce of the message to %s", to).hasSize(1);
    return records.get(0);
  }

  @Test
  void aRecipientRefusedForGoodIsAHardBounceTiedToItsSend() {
    BouncedRecipient b = bounceOf("nobody@dest.example.org");

    assertThat(b.recipient()).isEqualTo("nobody@dest.example.org");
    assertThat(b.action()).isEqualTo("failed");
    assertThat(b.status()).isEqualTo("5.1.1");
    assertThat(b.reason()).isEqualTo(BounceReason.USERUNKNOWN);
    assertThat(b.hard()).isTrue();
    assertThat(SuppressionRules.of(b)).isEqualTo(SuppressionRules.Verdict.SUPPRESS);
  }

  @Test
  void aBounceAfterForwardingThroughAnAliasNamesTheAddressTheApplicationSentTo() {
    BouncedRecipient b = bounceOf("sales@alias.example.org");

    assertThat(b.recipient()).isEqualTo("sales@alias.example.org");
    assertThat(finalsByEnvid.get(b.envelopeId())).containsEntry("sales@alias.example.org", "j.doe@dest.example.org");
    assertThat(b.hard()).isTrue();
  }

  @Test
  void aDelayWarningIsTemporaryAndSuppressesNobody() {
    BouncedRecipient b = bounceOf("x@later.example.org");

    assertThat(b.action()).isEqualTo("delayed");
    assertThat(b.status()).isEqualTo("4.2.2");
    assertThat(b.hard()).isFalse();
    assertThat(SuppressionRules.of(b)).isNotEqualTo(SuppressionRules.Verdict.SUPPRESS);
  }

  @Test
  void aPermanentRefusalHeldBackBySoftBounceIsATemporaryWarning() {
    BouncedRecipient b = bounceOf("y@soft.example.org");

    // soft_bounce turns the remote 550 5.1.1 into a deferral: Postfix reports 4.1.1, Action: delayed
    assertThat(b.action()).isEqualTo("delayed");
    assertThat(b.status()).isEqualTo("4.1.1");
    assertThat(b.hard()).isFalse();
    assertThat(SuppressionRules.of(b)).isNotEqualTo(SuppressionRules.Verdict.SUPPRESS);
  }
}
