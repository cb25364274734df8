package org.mailwarden.spring.autoconfigure;

import org.mailwarden.spring.actuate.MailwardenHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * {@link MailwardenHealthIndicator}, switched by {@code management.health.mailwarden.enabled}. It adds
 * to Spring Boot's {@code mail} indicator, which stays.
 */
@AutoConfiguration(after = MailwardenAutoConfiguration.class,
    afterName = "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration")
@ConditionalOnClass({ JavaMailSenderImpl.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnSingleCandidate(JavaMailSenderImpl.class)
@ConditionalOnBooleanProperty(name = "mailwarden.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("mailwarden")
public final class MailwardenHealthContributorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = { "mailwardenHealthIndicator", "mailwardenHealthContributor" })
  MailwardenHealthIndicator mailwardenHealthIndicator(JavaMailSenderImpl mailSender) {
    return new MailwardenHealthIndicator(mailSender);
  }

}
