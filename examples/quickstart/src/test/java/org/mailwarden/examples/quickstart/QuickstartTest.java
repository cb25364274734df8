package org.mailwarden.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartTest {
  @Test
  void quickstartSendsThreeAndRefusesTheRestWithReasons() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int received = Quickstart.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(received).isEqualTo(3);
    assertThat(out).containsPattern("1\\. jane@example.com +SENT");
    assertThat(out).containsPattern("2\\. boss@competitor.example +REFUSED  denied-domain");
    assertThat(out).containsPattern("3\\. joe@localhost +REFUSED  special-use-domain");
    assertThat(out).contains("REFUSED  control-character");
    assertThat(out).containsPattern("5\\. ann@example.org +SENT");
    assertThat(out).containsPattern("6\\. bob@example.net +SENT");
    assertThat(out).containsPattern("7\\. carol@example.com +REFUSED  quota-exceeded: limit.messages-per-minute");
  }
}
