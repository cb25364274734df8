package org.mailwarden.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.testing.Running;
import org.mailwarden.testing.SmtpSink;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example application booted on a random port against Postfix's {@code smtp-sink -D}, with its
 * own {@code application.properties} ({@code mailwarden.limit.messages-per-minute=5}): what a client
 * sees, what reaches the server, and what Actuator reports. The tests run in order and share the
 * application and its quota.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderConfirmationEndToEndTests {

  @RegisterExtension
  static final Running<SmtpSink> smtpSink = Running.perClass(SmtpSink::start);

  private static final JsonMapper json = JsonMapper.builder().build();

  private SmtpSink sink;

  private ShopClient shop;

  @DynamicPropertySource
  static void smtpSink(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.port", () -> smtpSink.get().port());
  }

  @BeforeEach
  void client(@LocalServerPort int port) {
    this.sink = smtpSink.get();
    this.shop = new ShopClient(port);
  }

  @Test
  @Order(1)
  void malformedRecipientGets422WithMailwardensReasonAndNothingReachesTheServer() throws Exception {
    HttpResponse<String> response = shop.confirm("41", "bad@@example.com");

    assertThat(response.statusCode()).isEqualTo(422);
    JsonNode rejected = json.readTree(response.body()).get("rejected");
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).get("address").asString()).isEqualTo("bad@@example.com");
    assertThat(rejected.get(0).get("reason").asString()).isEqualTo("syntax");
    assertThat(rejected.get(0).get("detail").asString()).isNotBlank();
    assertThat(sink.messagesBeforeMarker()).isEmpty();
  }

  @Test
  @Order(2)
  void eightConfirmationsGiveFiveAcceptedAndThreeTooManyRequestsWithRetryAfter() throws Exception {
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      responses.add(shop.confirm(Integer.toString(100 + i), "customer" + i + "@example.com"));
    }

    assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(202, 202, 202, 202, 202, 429, 429, 429);
    for (HttpResponse<String> refused : responses.subList(5, 8)) {
      long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isPositive().isLessThanOrEqualTo(60);
      // Spring MVC's @ExceptionHandler(QuotaExceededException.class) got it: the starter's
      // MailSendException has Mailwarden's exception as its cause
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonNode problem = json.readTree(refused.body());
      assertThat(problem.get("status").asInt()).isEqualTo(429);
      assertThat(problem.get("limit").asString()).isEqualTo("limit.messages-per-minute");
      assertThat(problem.get("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
    }
  }

  @Test
  @Order(3)
  void theFiveDeliveredAskedForFailureNoticesWithHeadersOnly() throws Exception {
    List<SmtpSink.Dumped> delivered = sink.messagesBeforeMarker(); // since the first test's marker

    assertThat(delivered).hasSize(5).allSatisfy((message) -> {
      assertThat(message.mailParameter("RET")).isEqualTo("HDRS");
      assertThat(message.mailParameter("ENVID")).matches("[0-9a-f]{32}");
      assertThat(message.rcptParameter(0, "NOTIFY")).isEqualTo("FAILURE");
    });
    assertThat(delivered).extracting(SmtpSink.Dumped::content)
      .anySatisfy((content) -> assertThat(content).contains("Your order 101 is confirmed"));
  }

  @Test
  @Order(4)
  void healthIsUpWithBootsMailCheckAndMailwardens() throws Exception {
    JsonNode health = json.readTree(shop.get("/actuator/health").body());

    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.at("/components/mail/status").asString()).isEqualTo("UP");
    assertThat(health.at("/components/mailwarden/status").asString()).isEqualTo("UP");
    assertThat(health.at("/components/mailwarden/details/exhausted/0").asString()).isEqualTo("limit.messages-per-minute");
  }

  @Test
  @Order(5)
  void mailwardenEndpointShowsFiveOfFiveUsed() throws Exception {
    JsonNode mailwarden = json.readTree(shop.get("/actuator/mailwarden").body());

    assertThat(mailwarden.get("app").asString()).isEqualTo("shop");
    assertThat(mailwarden.at("/policies/limit.messages-per-minute").asString()).isEqualTo("5");
    JsonNode quota = null;
    for (JsonNode q : mailwarden.get("quotas")) {
      if (q.get("limit").asString().equals("limit.messages-per-minute")) {
        quota = q;
      }
    }
    assertThat(quota).isNotNull();
    assertThat(quota.get("used").asLong()).isEqualTo(5);
    assertThat(quota.get("capacity").asLong()).isEqualTo(5);
  }

  @Test
  @Order(6)
  void metricsCountFiveSentAndThreeRefusedForQuota() throws Exception {
    assertThat(count("/actuator/metrics/mailwarden.messages.sent?tag=app:shop")).isEqualTo(5);
    assertThat(count("/actuator/metrics/mailwarden.messages.refused?tag=app:shop&tag=reason:quota-exceeded"))
      .isEqualTo(3);
    assertThat(count("/actuator/metrics/mailwarden.messages.refused?tag=app:shop&tag=reason:recipients-rejected"))
      .as("the malformed recipient of the first test").isEqualTo(1);
    JsonNode available = json
      .readTree(shop.get("/actuator/metrics/mailwarden.quota.available?tag=limit:limit.messages-per-minute").body());
    assertThat(available.at("/measurements/0/value").asDouble()).isEqualTo(0);
    JsonNode dsn = json.readTree(shop.get("/actuator/metrics/mailwarden.server.dsn?tag=server:127.0.0.1:" + sink.port()).body());
    assertThat(dsn.at("/measurements/0/value").asDouble()).as("smtp-sink advertises DSN").isEqualTo(1);
  }

  private double count(String path) throws Exception {
    HttpResponse<String> response = shop.get(path);
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    for (JsonNode measurement : json.readTree(response.body()).get("measurements")) {
      if (measurement.get("statistic").asString().equals("COUNT")) {
        return measurement.get("value").asDouble();
      }
    }
    throw new AssertionError("no COUNT in " + response.body());
  }

}
