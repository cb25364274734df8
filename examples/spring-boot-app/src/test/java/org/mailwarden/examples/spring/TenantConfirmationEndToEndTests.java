package org.mailwarden.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * The example application's tenants against Postfix's {@code smtp-sink -D}, with its own
 * {@code application.properties} ({@code mailwarden.tenant.limit.messages-per-minute=3}, tenant
 * {@code budget} 1): a tenant at its limit gets 429 while another still gets 202. Under its own
 * application name and a higher shop-wide limit, so that the quota of {@link OrderConfirmationEndToEndTests}
 * is not touched and does not interfere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = { "mailwarden.app=shop-tenants", "mailwarden.limit.messages-per-minute=100" })
class TenantConfirmationEndToEndTests {

  @RegisterExtension
  static final Running<SmtpSink> smtpSink = Running.perClass(SmtpSink::start);

  private static final JsonMapper json = JsonMapper.builder().build();

  private ShopClient shop;

  @DynamicPropertySource
  static void smtpSink(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.port", () -> smtpSink.get().port());
  }

  @BeforeEach
  void client(@LocalServerPort int port) {
    this.shop = new ShopClient(port);
  }

  @Test
  void aTenantAtItsLimitGets429WhileAnotherTenantGets202() throws Exception {
    assertThat(shop.confirm("budget", "1", "ann@example.com").statusCode()).isEqualTo(202);

    HttpResponse<String> atLimit = shop.confirm("budget", "2", "ann@example.com");
    HttpResponse<String> other = shop.confirm("acme", "3", "bob@example.com");

    assertThat(atLimit.statusCode()).isEqualTo(429);
    assertThat(json.readTree(atLimit.body()).get("limit").asString())
      .isEqualTo("tenant.limit.budget.messages-per-minute");
    assertThat(Long.parseLong(atLimit.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
    assertThat(other.statusCode()).isEqualTo(202);
    assertThat(smtpSink.get().messagesBeforeMarker()).hasSize(2)
      .allSatisfy((m) -> assertThat(m.content()).doesNotContainIgnoringCase("X-Mailwarden-Tenant"));
    // acme has the common 3 per minute: two more, then 429
    assertThat(shop.confirm("acme", "4", "bob@example.com").statusCode()).isEqualTo(202);
    assertThat(shop.confirm("acme", "5", "bob@example.com").statusCode()).isEqualTo(202);
    assertThat(shop.confirm("acme", "6", "bob@example.com").statusCode()).isEqualTo(429);
    // mail without a tenant is held to the shop's limits only
    assertThat(shop.confirm("7", "carol@example.com").statusCode()).isEqualTo(202);
    JsonNode mailwarden = json.readTree(shop.get("/actuator/mailwarden").body());
    assertThat(mailwarden.at("/policies/tenant.limit.budget.messages-per-minute").asString()).isEqualTo("1");
    assertThat(mailwarden.at("/reputation/pausedTenants").isArray()).isTrue();
  }

}
