package org.mailwarden.spring.autoconfigure;

import org.mailwarden.spring.actuate.MailwardenEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for the
 * {@link MailwardenEndpoint} ({@code /actuator/mailwarden} once exposed).
 */
@AutoConfiguration(after = MailwardenAutoConfiguration.class,
    afterName = "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration")
@ConditionalOnClass({ JavaMailSenderImpl.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnSingleCandidate(JavaMailSenderImpl.class)
@ConditionalOnBooleanProperty(name = "mailwarden.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(MailwardenEndpoint.class)
public final class MailwardenEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  MailwardenEndpoint mailwardenEndpoint(JavaMailSenderImpl mailSender) {
    return new MailwardenEndpoint(mailSender);
  }

}
