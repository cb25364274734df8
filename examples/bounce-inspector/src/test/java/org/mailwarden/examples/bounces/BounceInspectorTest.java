package org.mailwarden.examples.bounces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BounceInspectorTest {
  private static String sample(String name) throws URISyntaxException {
    return Path.of(BounceInspectorTest.class.getResource("/samples/" + name).toURI()).toString();
  }

  @Test
  void printsOneJsonLinePerBouncedRecipientAndNothingForANonBounce() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String postfix = sample("lhost-postfix-04.eml");
    String qmail = sample("lhost-qmail-01.eml");
    String notBounce = sample("is-not-bounce-01.eml");

    int status = BounceInspector.run(List.of(postfix, notBounce, qmail),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.fieldNames()).toIterable().contains("file", "recipient", "action", "status", "replycode",
        "reason", "hard", "envid", "messageid");
    assertThat(first.get("file").asText()).isEqualTo(postfix);
    assertThat(first.get("recipient").asText()).isEqualTo("kijitora@example.co.jp");
    assertThat(first.get("status").asText()).isEqualTo("5.1.1");
    assertThat(first.get("replycode").asInt()).isEqualTo(550);
    assertThat(first.get("reason").asText()).isEqualTo("userunknown");
    assertThat(first.get("hard").asBoolean()).isTrue();
    JsonNode second = json.readTree(lines.get(1));
    assertThat(second.get("file").asText()).isEqualTo(qmail);
    assertThat(second.get("recipient").asText()).isEqualTo("kijitora@example.ne.jp");
    assertThat(second.get("messageid").asText()).isEqualTo("000000000.9999999999999.JavaMail.postmaster@mailhub");
  }

  @Test
  void anUnreadableFileIsNamedAndGivesStatus2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = BounceInspector.run(List.of("/nonexistent/bounce.eml"),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nonexistent/bounce.eml");
  }
}
