package org.mailwarden.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import org.mailwarden.spring.actuate.MailwardenObservationSendObserver;
import org.mailwarden.spring.mail.MailwardenSendObserver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of a
 * Micrometer {@code Observation} per send ({@link MailwardenObservationSendObserver}): with Spring
 * Boot's metrics the {@code mailwarden.send} timer, with tracing a span.
 */
@AutoConfiguration(after = MailwardenAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "mailwarden.enabled", matchIfMissing = true)
public final class MailwardenObservationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  MailwardenSendObserver mailwardenSendObserver(ObservationRegistry observationRegistry) {
    return new MailwardenObservationSendObserver(observationRegistry);
  }

}
