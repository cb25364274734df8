package org.mailwarden.spring.autoconfigure;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that
 * stops start-up with one clear sentence when the Spring Boot on the class path is not a version the
 * starter supports, instead of a start-up where the endpoint, the meters and the health indicator are
 * silently missing. It uses only types that every Spring Boot since 3.0 has, so that it runs where the
 * rest of the starter cannot.
 */
@AutoConfiguration(beforeName = "org.mailwarden.spring.autoconfigure.MailwardenAutoConfiguration")
public final class MailwardenBootVersionAutoConfiguration {

  @Bean
  static MailwardenBootVersionCheck mailwardenBootVersionCheck() {
    return new MailwardenBootVersionCheck(SpringBootVersion.getVersion());
  }
}
