package org.mailwarden.examples.spring;

import java.util.Map;
import java.util.Optional;
import org.mailwarden.TenantResolver;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.HandlerMapping;

/**
 * A shop that mails order confirmations through Spring Boot's auto-configured {@code JavaMailSender}.
 * It knows nothing of Mailwarden but its exceptions: the starter on the class path and the
 * {@code mailwarden.*} keys in {@code application.properties} put every message under Mailwarden's
 * policies.
 */
@SpringBootApplication
public class OrderApplication {

  /**
   * The tenant of a message: the {@code {tenant}} of the request path being served
   * ({@code /tenants/{tenant}/...}), none for other requests. The Mailwarden starter asks it for every
   * message that does not name its tenant itself.
   * @return the resolver
   */
  @Bean
  static TenantResolver tenantFromPath() {
    return (message) -> {
      if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
          && request.getRequest().getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> path
          && path.get("tenant") instanceof String tenant) {
        return Optional.of(tenant);
      }
      return Optional.empty();
    };
  }

  public static void main(String[] args) {
    SpringApplication.run(OrderApplication.class, args);
  }

}
