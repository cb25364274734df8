package org.mailwarden.spring.autoconfigure;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.Properties;
import org.mailwarden.GuardedTransport;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenListener;
import org.mailwarden.spring.mail.MailwardenSendObserver;
import org.mailwarden.transport.MailwardenTransport;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that
 * sends the mail of every {@link JavaMailSenderImpl} bean, Spring Boot's auto-configured one
 * ({@code spring.mail.host}) included, through Mailwarden, with the policies of {@code mailwarden.*}
 * and {@code spring.mail.properties.mail.mailwarden.*}. Mailwarden's state (quotas, suppression
 * stores, pooled connections, threads) belongs to the context and is closed with it. Without a mail
 * sender, the {@code mailwarden.*} properties are still checked, so a bad value fails start-up.
 * {@code mailwarden.enabled=false} switches it all off.
 */
@AutoConfiguration(afterName = "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration")
@ConditionalOnClass({ JavaMailSenderImpl.class, MailwardenTransport.class })
@ConditionalOnBooleanProperty(name = "mailwarden.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MailwardenProperties.class)
public final class MailwardenAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  static MailwardenMailSenderPostProcessor mailwardenMailSenderPostProcessor(
      ObjectProvider<MailwardenProperties> properties, ObjectProvider<MailwardenListener> listeners,
      ObjectProvider<MailwardenCustomizer> customizers, ObjectProvider<MailwardenResources> resources,
      ObjectProvider<MailwardenSendObserver> observers) {
    return new MailwardenMailSenderPostProcessor(properties, listeners, customizers, resources, observers);
  }

  @Bean
  @ConditionalOnMissingBean
  MailwardenResources mailwardenResources() {
    return new MailwardenResources();
  }

  @Bean
  @ConditionalOnMissingBean(JavaMailSenderImpl.class)
  InitializingBean mailwardenPropertiesCheck(MailwardenProperties properties, MailwardenResources resources,
      Environment environment) {
    return () -> check(properties, resources, environment);
  }

  /** Parses the properties as a sender would, so that a bad value fails start-up without a sender too. */
  private static void check(MailwardenProperties properties, MailwardenResources resources, Environment environment)
      throws MessagingException {
    Properties session = new Properties();
    SessionPropertiesMapper.merge(session, SessionPropertiesMapper.map(properties, null, environment), environment);
    resources.apply(session);
    Transport transport = Session.getInstance(session).getTransport(Mailwarden.PROTOCOL);
    if (transport instanceof GuardedTransport guarded) {
      guarded.checkConfiguration();
    }
  }

}
