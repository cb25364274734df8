package org.mailwarden.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.Mailwarden;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.TenantResolver;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.spring.actuate.MailwardenEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Tenants in Spring Boot: the {@code mailwarden.tenant.*} and {@code mailwarden.tenants.*} properties,
 * a {@link TenantResolver} bean, the {@code tenant} and {@code mode} tags of the metrics with a bounded
 * number of tenant values, and the paused tenants in {@code /actuator/mailwarden}.
 */
class MailwardenTenantTests {

  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
    .withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class, MailwardenAutoConfiguration.class,
        MailwardenTenantAutoConfiguration.class, MailwardenMetricsAutoConfiguration.class,
        MailwardenEndpointAutoConfiguration.class))
    .withPropertyValues("mailwarden.suppression.store=memory", "spring.mail.host=127.0.0.1",
        "mailwarden.app=test-" + UUID.randomUUID().toString().substring(0, 8),
        "management.endpoints.web.exposure.include=mailwarden");

  /** The runner with the server's port, known once GreenMail has started. */
  private ApplicationContextRunner runner() {
    return this.contextRunner.withPropertyValues("spring.mail.port=" + greenMail.getSmtp().getPort());
  }

  private static MimeMessage message(JavaMailSender sender, String subject) throws Exception {
    MimeMessage message = sender.createMimeMessage();
    message.setFrom("shop@example.com");
    message.setRecipients(MimeMessage.RecipientType.TO, "jane@example.com");
    message.setSubject(subject);
    message.setText("Thank you for your order.");
    return message;
  }

  @Test
  void tenantPropertiesBecomeTenantSessionKeys() {
    runner()
      .withPropertyValues("mailwarden.mode=report-only", "mailwarden.tenant.limit.messages-per-minute=10",
          "mailwarden.tenants.acme.limit.messages-per-minute=2",
          "mailwarden.tenants.acme.senders.allow-domains=acme.example")
      .run((context) -> {
        Map<Object, Object> session = context.getBean(JavaMailSenderImpl.class).getJavaMailProperties();
        assertThat(session).containsEntry("mail.mailwarden.mode", "report-only")
          .containsEntry("mail.mailwarden.tenant.limit.messages-per-minute", "10")
          .containsEntry("mail.mailwarden.tenant.limit.acme.messages-per-minute", "2")
          .containsEntry("mail.mailwarden.tenant.acme.senders.allow-domains", "acme.example");
        assertThat(context.getBean(MailwardenEndpoint.class).mailwarden().policies())
          .containsEntry("mode", "report-only")
          .containsEntry("tenant.limit.acme.messages-per-minute", "2");
      });
  }

  @Test
  void aTenantResolverBeanGivesTheTenantOfMessagesThatNameNone() {
    runner().withPropertyValues("mailwarden.tenants.acme.limit.messages-per-minute=1")
      .withBean(TenantResolver.class, () -> (message) -> Optional.of("acme"))
      .run((context) -> {
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        sender.send(message(sender, "first"));
        assertThatThrownBy(() -> sender.send(message(sender, "second")))
          .isInstanceOfSatisfying(MailSendException.class,
              (ex) -> assertThat(ex.getFailedMessages().values().iterator().next())
                .isInstanceOfSatisfying(QuotaExceededException.class,
                    (quota) -> assertThat(quota.getLimit()).isEqualTo("tenant.limit.acme.messages-per-minute")));
        // a tenant the message names itself wins over the resolver
        sender.send(Mailwarden.tenant(message(sender, "third"), "globex"));
      });
  }

  @Test
  void metricsTagTheTenantWithABoundedNumberOfValuesAndTheMode() {
    runner().withBean(SimpleMeterRegistry.class)
      .withPropertyValues("mailwarden.tenant.metrics.tags=acme", "mailwarden.mode=report-only",
          "mailwarden.tenant.limit.messages-per-minute=1")
      .run((context) -> {
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
        for (String tenant : new String[] { "acme", "acme", "globex", "initech" }) {
          sender.send(Mailwarden.tenant(message(sender, tenant), tenant));
        }
        sender.send(message(sender, "no tenant"));

        assertThat(registry.get("mailwarden.messages.sent").tag("tenant", "acme").counter().count()).isEqualTo(2);
        assertThat(registry.get("mailwarden.messages.sent").tag("tenant", "other").counter().count()).isEqualTo(2);
        assertThat(registry.get("mailwarden.messages.sent").tag("tenant", "none").counter().count()).isEqualTo(1);
        assertThat(registry.find("mailwarden.messages.sent").tag("tenant", "globex").counter()).isNull();
        // the second acme message was over its quota: sent, and counted as a refusal report-only did not enforce
        assertThat(registry.get("mailwarden.messages.refused")
          .tags("tenant", "acme", "mode", "report-only", "reason", "quota-exceeded")
          .counter()
          .count()).isEqualTo(1);
        assertThat(greenMail.getReceivedMessages()).hasSize(5);
      });
  }

  @Test
  void theEndpointShowsPausedTenants() {
    runner().withPropertyValues("mailwarden.reputation.min-sends=2", "mailwarden.limit.recipients-per-second=0").run((context) -> {
      JavaMailSenderImpl sender = context.getBean(JavaMailSenderImpl.class);
      MimeMessage first = Mailwarden.tenant(message(sender, "one"), "acme");
      sender.send(first);
      sender.send(Mailwarden.tenant(message(sender, "two"), "acme"));
      for (int i = 0; i < 20; i++) {
        sender.send(Mailwarden.tenant(message(sender, "globex " + i), "globex"));
      }
      Mailwarden.suppressions(sender.getSession())
        .record(new BouncedRecipient("jane@example.com", "failed", "5.1.1", 550, "no such user",
            BounceReason.USERUNKNOWN, true, null, first.getMessageID(), null));

      assertThat(context.getBean(MailwardenEndpoint.class).mailwarden().reputation().pausedTenants())
        .containsExactly("acme");
    });
  }

}
