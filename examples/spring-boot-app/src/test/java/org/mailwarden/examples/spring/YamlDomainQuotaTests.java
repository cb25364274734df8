package org.mailwarden.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.mailwarden.testing.SmtpSink;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A per-domain quota written in YAML ({@code application-yaml.yml}:
 * {@code mailwarden.limit.domain."[example.org]".recipients-per-minute: 2}) is honoured: the third
 * confirmation to that domain is refused, other domains are not affected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("yaml")
class YamlDomainQuotaTests {

  private static SmtpSink sink;

  private static final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  private int port;

  @DynamicPropertySource
  static void smtpSink(DynamicPropertyRegistry registry) throws Exception {
    sink = SmtpSink.start();
    registry.add("spring.mail.port", sink::port);
  }

  @AfterAll
  static void stopSink() throws Exception {
    if (sink != null) {
      sink.close();
    }
  }

  @Test
  void perDomainQuotaFromYamlRefusesTheThirdRecipientOfThatDomainOnly() throws Exception {
    assertThat(confirm("1", "ann@example.org").statusCode()).isEqualTo(202);
    assertThat(confirm("2", "bob@example.org").statusCode()).isEqualTo(202);
    HttpResponse<String> third = confirm("3", "cid@example.org");
    assertThat(confirm("4", "dan@example.com").statusCode()).as("another domain").isEqualTo(202);
    assertThat(confirm("5", "eve@example.com").statusCode()).as("no message quota in this profile").isEqualTo(202);

    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(JsonMapper.builder().build().readTree(third.body()).get("limit").asString())
      .isEqualTo("limit.domain.example.org.recipients-per-minute");
    assertThat(sink.messages()).hasSize(4);
  }

  private HttpResponse<String> confirm(String order, String to) throws Exception {
    HttpRequest request = HttpRequest
      .newBuilder(URI.create("http://127.0.0.1:" + this.port + "/orders/" + order + "/confirmation"))
      .header("Content-Type", "application/x-www-form-urlencoded")
      .POST(HttpRequest.BodyPublishers.ofString("to=" + URLEncoder.encode(to, StandardCharsets.UTF_8)))
      .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

}
