package org.mailwarden.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.testing.Running;
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

  @RegisterExtension
  static final Running<SmtpSink> sink = Running.perClass(SmtpSink::start);

  @DynamicPropertySource
  static void smtpSink(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.port", () -> sink.get().port());
  }

  @Test
  void perDomainQuotaFromYamlRefusesTheThirdRecipientOfThatDomainOnly(@LocalServerPort int port) throws Exception {
    ShopClient shop = new ShopClient(port);
    assertThat(shop.confirm("1", "ann@example.org").statusCode()).isEqualTo(202);
    assertThat(shop.confirm("2", "bob@example.org").statusCode()).isEqualTo(202);
    HttpResponse<String> third = shop.confirm("3", "cid@example.org");
    assertThat(shop.confirm("4", "dan@example.com").statusCode()).as("another domain").isEqualTo(202);
    assertThat(shop.confirm("5", "eve@example.com").statusCode()).as("no message quota in this profile").isEqualTo(202);

    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(JsonMapper.builder().build().readTree(third.body()).get("limit").asString())
      .isEqualTo("limit.domain.example.org.recipients-per-minute");
    assertThat(sink.get().messagesBeforeMarker()).hasSize(4);
  }

}
