package org.mailwarden.spring.autoconfigure;

import org.mailwarden.MailwardenListener;
import org.mailwarden.transport.MailwardenTransport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that
 * sends the mail of every {@link JavaMailSenderImpl} bean, Spring Boot's auto-configured one
 * ({@code spring.mail.host}) included, through Mailwarden, with the policies of {@code mailwarden.*}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration")
@ConditionalOnClass({ JavaMailSenderImpl.class, MailwardenTransport.class })
@EnableConfigurationProperties(MailwardenProperties.class)
public final class MailwardenAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  static MailwardenMailSenderPostProcessor mailwardenMailSenderPostProcessor(
      ObjectProvider<MailwardenProperties> properties, ObjectProvider<MailwardenListener> listeners,
      ObjectProvider<MailwardenCustomizer> customizers) {
    return new MailwardenMailSenderPostProcessor(properties, listeners, customizers);
  }

}
