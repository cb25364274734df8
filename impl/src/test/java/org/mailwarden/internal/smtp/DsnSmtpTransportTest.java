package org.mailwarden.internal.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mailwarden.internal.chain.DsnRequest;

class DsnSmtpTransportTest {
  private static final DsnRequest SAFE = new DsnRequest("HDRS", "abc123", "FAILURE", true);

  @Test
  void mailFromGetsRetAndEnvidAndLosesWhatAngusOrTheApplicationPutThere() {
    assertThat(DsnSmtpTransport.rewrite("MAIL FROM:<a@example.com> SMTPUTF8 RET=FULL ENVID=app AUTH=<>", SAFE))
        .isEqualTo("MAIL FROM:<a@example.com> SMTPUTF8 AUTH=<> RET=HDRS ENVID=abc123");
  }

  @Test
  void rcptToGetsNotifyAndOrcpt() {
    assertThat(DsnSmtpTransport.rewrite("RCPT TO:<b@example.org> NOTIFY=SUCCESS", SAFE))
        .isEqualTo("RCPT TO:<b@example.org> NOTIFY=FAILURE ORCPT=rfc822;b@example.org");
  }

  @Test
  void orcptIsXtextEncoded() {
    assertThat(DsnSmtpTransport.rewrite("RCPT TO:<a+b=c@example.org>", SAFE))
        .endsWith("ORCPT=rfc822;a+2Bb+3Dc@example.org");
  }

  @Test
  void nonAsciiRecipientGetsNoOrcpt() {
    assertThat(DsnSmtpTransport.rewrite("RCPT TO:<jörg@example.org>", SAFE))
        .isEqualTo("RCPT TO:<jörg@example.org> NOTIFY=FAILURE");
  }

  @Test
  void withoutDsnEveryDsnParameterIsRemoved() {
    assertThat(DsnSmtpTransport.rewrite("MAIL FROM:<a@example.com> RET=FULL ENVID=x", DsnRequest.NONE))
        .isEqualTo("MAIL FROM:<a@example.com>");
    assertThat(DsnSmtpTransport.rewrite("RCPT TO:<b@example.org> NOTIFY=SUCCESS ORCPT=rfc822;b@example.org",
        DsnRequest.NONE)).isEqualTo("RCPT TO:<b@example.org>");
  }

  @Test
  void quotedLocalPartWithSpacesAndAngleBracketStaysWhole() {
    assertThat(DsnSmtpTransport.rewrite("RCPT TO:<\"a > RET=FULL\"@example.org> NOTIFY=NEVER", SAFE))
        .startsWith("RCPT TO:<\"a > RET=FULL\"@example.org> NOTIFY=FAILURE");
  }

  @Test
  void otherCommandsAreUntouched() {
    assertThat(DsnSmtpTransport.rewrite("EHLO host RET=FULL", SAFE)).isEqualTo("EHLO host RET=FULL");
    assertThat(DsnSmtpTransport.rewrite("DATA", SAFE)).isEqualTo("DATA");
  }
}
