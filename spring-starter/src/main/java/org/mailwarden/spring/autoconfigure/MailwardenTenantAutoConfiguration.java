package org.mailwarden.spring.autoconfigure;

import java.util.List;
import java.util.Optional;
import org.mailwarden.Mailwarden;
import org.mailwarden.TenantResolver;
import org.mailwarden.transport.MailwardenTransport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of
 * tenants: a {@link TenantResolver} bean finds the tenant of each message that names none
 * ({@code Mailwarden.tenant(message, name)}, the {@code X-Mailwarden-Tenant} header); it is put into
 * every guarded sender's session as {@code mail.mailwarden.tenant.resolver}. With several resolvers,
 * the first (in {@code @Order}) that finds a tenant wins.
 */
@AutoConfiguration(before = MailwardenAutoConfiguration.class)
@ConditionalOnClass({ JavaMailSenderImpl.class, MailwardenTransport.class })
public final class MailwardenTenantAutoConfiguration {

  @Bean
  static MailwardenCustomizer mailwardenTenantResolverCustomizer(ObjectProvider<TenantResolver> resolvers) {
    return (session) -> {
      List<TenantResolver> all = resolvers.orderedStream().toList();
      if (session.get(Mailwarden.PREFIX + "tenant.resolver") != null || all.isEmpty()) {
        return;
      }
      TenantResolver first = (all.size() == 1) ? all.get(0) : (message) -> all.stream()
        .map((resolver) -> resolver.tenantOf(message))
        .flatMap(Optional::stream)
        .findFirst();
      session.put(Mailwarden.PREFIX + "tenant.resolver", first);
    };
  }

}
