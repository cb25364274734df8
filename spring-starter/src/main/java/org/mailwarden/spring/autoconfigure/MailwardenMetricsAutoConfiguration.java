package org.mailwarden.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.mailwarden.spring.actuate.MailwardenDeliverabilityMetrics;
import org.mailwarden.Mailwarden;
import org.mailwarden.spring.actuate.MailwardenMetrics;
import org.mailwarden.spring.actuate.MailwardenPoolMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.mailwarden.spring.actuate.MailwardenQuotaMetrics;
import org.mailwarden.spring.actuate.TenantTags;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * Mailwarden's Micrometer meters: {@link MailwardenMetrics} (sends, refusals by reason, failures, DSN
 * per server) is registered as a listener with every guarded sender,
 * {@link MailwardenQuotaMetrics} gauges the quotas of the mail sender, and
 * {@link MailwardenDeliverabilityMetrics} its suppression list, reputation and (with
 * {@code mailwarden.recipients.check-mx}) DNS checks, and {@link MailwardenPoolMetrics} the pooled
 * connections of the context. The counters of every guarded sender are registered at start-up, at 0.
 */
@AutoConfiguration(after = MailwardenAutoConfiguration.class,
    afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration" })
@ConditionalOnClass({ JavaMailSenderImpl.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "mailwarden.enabled", matchIfMissing = true)
public final class MailwardenMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  MailwardenMetrics mailwardenMetrics(MeterRegistry meterRegistry, ObjectProvider<MailwardenProperties> properties) {
    MailwardenProperties bound = properties.getIfAvailable();
    MailwardenProperties.TenantMetrics tenants = (bound != null && bound.tenant() != null) ? bound.tenant().metrics()
        : null;
    List<String> tags = (tenants != null && tenants.tags() != null) ? tenants.tags() : List.of();
    int maxTags = (tenants != null && tenants.maxTags() != null) ? tenants.maxTags() : TenantTags.DEFAULT_MAX_TAGS;
    return new MailwardenMetrics(meterRegistry, new TenantTags(tags, maxTags));
  }

  @Bean
  @ConditionalOnBean(MailwardenMetrics.class)
  static SmartInitializingSingleton mailwardenMetersAtStartUp(ObjectProvider<MailwardenMetrics> metrics,
      ObjectProvider<JavaMailSenderImpl> senders) {
    return () -> metrics.ifAvailable((listener) -> senders.orderedStream()
      .filter((sender) -> Mailwarden.PROTOCOL.equals(sender.getProtocol()))
      .forEach(listener::registerSender));
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(MailwardenResources.class)
  MailwardenPoolMetrics mailwardenPoolMetrics(MailwardenResources resources) {
    return new MailwardenPoolMetrics(resources);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnSingleCandidate(JavaMailSenderImpl.class)
  MailwardenQuotaMetrics mailwardenQuotaMetrics(JavaMailSenderImpl mailSender) {
    return new MailwardenQuotaMetrics(mailSender);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnSingleCandidate(JavaMailSenderImpl.class)
  MailwardenDeliverabilityMetrics mailwardenDeliverabilityMetrics(JavaMailSenderImpl mailSender) {
    return new MailwardenDeliverabilityMetrics(mailSender);
  }

}
