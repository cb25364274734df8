package org.mailwarden.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.SendReport;
import org.mailwarden.spring.actuate.MailwardenEndpoint;
import org.mailwarden.spring.actuate.MailwardenHealthIndicator;
import org.mailwarden.spring.actuate.MailwardenMetrics;
import org.mailwarden.spring.actuate.MailwardenQuotaMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.mail.autoconfigure.MailHealthContributorAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderValidatorAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;

/**
 * The auto-configurations, one test per condition, against GreenMail: Spring Boot's mail sender sends
 * through Mailwarden, user beans win, bad values fail start-up with the analyzer's message, and the
 * metrics, health and endpoint parts appear only with their libraries.
 */
class MailwardenAutoConfigurationTests {

  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
    .withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class, MailSenderValidatorAutoConfiguration.class,
        MailHealthContributorAutoConfiguration.class, MailwardenAutoConfiguration.class,
        MailwardenMetricsAutoConfiguration.class, MailwardenHealthContributorAutoConfiguration.class,
        MailwardenEndpointAutoConfiguration.class));

  private ApplicationContextRunner withSmtpHost() {
    return this.contextRunner.withPropertyValues("spring.mail.host=127.0.0.1",
        "spring.mail.port=" + greenMail.getSmtp().getPort(),
        "mailwarden.app=test-" + UUID.randomUUID().toString().substring(0, 8));
  }

  private static MimeMessage message(JavaMailSender sender, String to) throws Exception {
    MimeMessage message = sender.createMimeMessage();
    message.setFrom("shop@example.com");
    message.setRecipients(MimeMessage.RecipientType.TO, to);
    message.setSubject("Order 42");
    message.setText("Thank you for your order.");
    return message;
  }

  private static Exception failureOf(MailSendException ex) {
    return (Exception) ex.getFailedMessages().values().iterator().next();
  }

  @Test
  void smtpHostSetKeepsTheAutoConfiguredSenderAndMakesItsProtocolMailwarden() {
    withSmtpHost().run((context) -> {
      assertThat(context).hasSingleBean(JavaMailSenderImpl.class);
      JavaMailSenderImpl sender = context.getBean(JavaMailSenderImpl.class);
      assertThat(sender.getProtocol()).isEqualTo("mailwarden");
      assertThat(sender.getHost()).isEqualTo("127.0.0.1");
      assertThat(sender.getJavaMailProperties()).containsEntry("mail.mailwarden.delegate", "smtp")
        .containsEntry("mail.mailwarden.dsn.ret", "HDRS");
    });
  }

  @Test
  void smtpHostSetSendsThroughMailwardenToTheConfiguredServer() {
    withSmtpHost().withPropertyValues("mailwarden.recipients.deny-domains=competitor.example").run((context) -> {
      JavaMailSender sender = context.getBean(JavaMailSender.class);
      sender.send(message(sender, "jane@example.com"));

      assertThatThrownBy(() -> sender.send(message(sender, "joe@competitor.example")))
        .isInstanceOfSatisfying(MailSendException.class, (ex) -> assertThat(failureOf(ex))
          .isInstanceOfSatisfying(RecipientRejectedException.class,
              (refused) -> assertThat(refused.getRejections().get(0).reason()).isEqualTo(RecipientReason.DENIED_DOMAIN)));
      assertThat(greenMail.getReceivedMessages()).hasSize(1);
    });
  }

  @Test
  void smtpHostUnsetCreatesNoSenderAndNoMailwardenBeans() {
    this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(JavaMailSender.class);
      assertThat(context).doesNotHaveBean(MailwardenHealthIndicator.class);
      assertThat(context).doesNotHaveBean(MailwardenQuotaMetrics.class);
      assertThat(context).doesNotHaveBean(MailwardenEndpoint.class);
    });
  }

  @Test
  void smtpsProtocolBecomesTheDelegate() {
    withSmtpHost().withPropertyValues("spring.mail.protocol=smtps").run((context) -> {
      JavaMailSenderImpl sender = context.getBean(JavaMailSenderImpl.class);
      assertThat(sender.getProtocol()).isEqualTo("mailwarden");
      assertThat(sender.getJavaMailProperties()).containsEntry("mail.mailwarden.delegate", "smtps");
    });
  }

  @Test
  void unsupportedProtocolFailsStartUpNamingIt() {
    withSmtpHost().withPropertyValues("spring.mail.protocol=imap").run((context) -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("protocol 'imap'");
    });
  }

  @Test
  void mailwardenPropertiesBecomeSessionKeysOfTheSameName() {
    withSmtpHost()
      .withPropertyValues("management.endpoints.web.exposure.include=mailwarden",
          "mailwarden.limit.messages-per-minute=100", "mailwarden.limit.max-wait=2s",
          "mailwarden.limit.domain[gmail.com].recipients-per-minute=20",
          "mailwarden.recipients.deny-domains=spam.example,*.bad.example", "mailwarden.dsn.notify=FAILURE,DELAY",
          "mailwarden.log.show-addresses=true")
      .run((context) -> {
        Map<Object, Object> session = context.getBean(JavaMailSenderImpl.class).getJavaMailProperties();
        assertThat(session).containsEntry("mail.mailwarden.limit.messages-per-minute", "100")
          .containsEntry("mail.mailwarden.limit.max-wait", "2000ms")
          .containsEntry("mail.mailwarden.limit.domain.gmail.com.recipients-per-minute", "20")
          .containsEntry("mail.mailwarden.recipients.deny-domains", "spam.example,*.bad.example")
          .containsEntry("mail.mailwarden.dsn.notify", "FAILURE,DELAY")
          .containsEntry("mail.mailwarden.log.show-addresses", "true");
        assertThat(context.getBean(MailwardenEndpoint.class).mailwarden().policies())
          .containsEntry("limit.domain.gmail.com.recipients-per-minute", "20")
          .containsEntry("dsn.notify", "FAILURE,DELAY");
      });
  }

  @Test
  void springMailPropertiesStillConfigureTheDelegate() {
    withSmtpHost().withPropertyValues("spring.mail.properties.mail.smtp.timeout=1234").run((context) -> {
      assertThat(context.getBean(JavaMailSenderImpl.class).getSession().getProperty("mail.smtp.timeout"))
        .isEqualTo("1234");
    });
  }

  @Test
  void messagesPerMinuteFromPropertiesIsEnforced() {
    withSmtpHost().withPropertyValues("mailwarden.limit.messages-per-minute=2").run((context) -> {
      JavaMailSender sender = context.getBean(JavaMailSender.class);
      sender.send(message(sender, "a@example.com"));
      sender.send(message(sender, "b@example.com"));
      assertThatThrownBy(() -> sender.send(message(sender, "c@example.com")))
        .isInstanceOfSatisfying(MailSendException.class, (ex) -> assertThat(failureOf(ex))
          .isInstanceOfSatisfying(QuotaExceededException.class,
              (quota) -> assertThat(quota.getLimit()).isEqualTo("limit.messages-per-minute")));
      assertThat(greenMail.getReceivedMessages()).hasSize(2);
    });
  }

  @Test
  void customizerAdjustsWhatPropertiesSetAndIsChecked() {
    withSmtpHost()
      .withPropertyValues("management.endpoints.web.exposure.include=mailwarden",
          "mailwarden.limit.messages-per-minute=100")
      .withBean(MailwardenCustomizer.class, () -> (session) -> session.put("mail.mailwarden.limit.messages-per-minute", "7"))
      .run((context) -> assertThat(context.getBean(MailwardenEndpoint.class).mailwarden().policies())
        .containsEntry("limit.messages-per-minute", "7"));
    withSmtpHost()
      .withBean(MailwardenCustomizer.class, () -> (session) -> session.put("mail.mailwarden.limit.messages-per-minute", "x"))
      .run((context) -> assertThat(context).getFailure().rootCause().isInstanceOf(MailwardenConfigurationException.class));
  }

  @Test
  void listenerBeansHearEverySend() {
    List<String> heard = new ArrayList<>();
    withSmtpHost().withBean(MailwardenListener.class, () -> new MailwardenListener() {
      @Override
      public void sent(SendReport report) {
        heard.add("sent " + report.accepted());
      }
    }).run((context) -> {
      JavaMailSender sender = context.getBean(JavaMailSender.class);
      sender.send(message(sender, "jane@example.com"));
      assertThat(heard).containsExactly("sent [jane@example.com]");
    });
  }

  @Test
  void userDefinedPostProcessorWins() {
    withSmtpHost().withUserConfiguration(UserPostProcessorConfiguration.class).run((context) -> {
      assertThat(context).hasSingleBean(MailwardenMailSenderPostProcessor.class);
      assertThat(context).hasBean("customPostProcessor");
    });
  }

  @Test
  void userDefinedHealthIndicatorWins() {
    withSmtpHost().withBean("mailwardenHealthIndicator", HealthIndicator.class, () -> () -> Health.up().withDetail("custom", true).build())
      .run((context) -> {
        assertThat(context).doesNotHaveBean(MailwardenHealthIndicator.class);
        assertThat(context.getBean("mailwardenHealthIndicator", HealthIndicator.class).health().getDetails())
          .containsEntry("custom", true);
      });
  }

  @Test
  void userDefinedEndpointAndMetricsWin() {
    MailwardenMetrics mine = new MailwardenMetrics(new SimpleMeterRegistry());
    withSmtpHost().withBean(SimpleMeterRegistry.class)
      .withPropertyValues("management.endpoints.web.exposure.include=mailwarden")
      .withBean("myMetrics", MailwardenMetrics.class, () -> mine)
      .withBean("myEndpoint", MailwardenEndpoint.class, () -> new MailwardenEndpoint(new JavaMailSenderImpl()))
      .run((context) -> {
        assertThat(context).getBean(MailwardenMetrics.class).isSameAs(mine);
        assertThat(context).getBeanNames(MailwardenEndpoint.class).containsExactly("myEndpoint");
      });
  }

  @Test
  void userDefinedMailSenderIsGuardedToo() {
    withSmtpHost().withBean("myMailSender", JavaMailSenderImpl.class, () -> {
      JavaMailSenderImpl sender = new JavaMailSenderImpl();
      sender.setHost("127.0.0.1");
      sender.setPort(greenMail.getSmtp().getPort());
      return sender;
    }).run((context) -> {
      assertThat(context).getBeanNames(JavaMailSenderImpl.class).containsExactly("myMailSender");
      assertThat(context.getBean(JavaMailSenderImpl.class).getProtocol()).isEqualTo("mailwarden");
    });
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "mailwarden.limit.messages-per-minute     | -1         | mailwarden.limit.messages-per-minute | expected a whole number from 0 (off)",
      "mailwarden.limit.recipients-per-message  | -5         | mailwarden.limit.recipients-per-message | expected a whole number from 0 (off)",
      "mailwarden.limit.max-wait                | -1s        | mailwarden.limit.max-wait | expected a non-negative duration",
      "mailwarden.limit.domain[gmail.com].recipients-per-hour | -3 | mailwarden.limit.domain[gmail.com].recipients-per-hour | expected a whole number",
      "mailwarden.limit.domain[gmail..com].recipients-per-hour | 3 | mailwarden.limit.domain[gmail..com].recipients-per-hour | 'gmail..com' is not a domain",
      "mailwarden.app                           | my app     | mailwarden.app | expected 1 to 64 letters",
      "mailwarden.delegate                      | imap       | mailwarden.delegate | expected one of smtp, smtps",
      "mailwarden.dsn.notify                    | SUCCESS    | mailwarden.dsn.notify | set mailwarden.dsn.allow-success=true",
      "mailwarden.dsn.notify                    | SOMETIMES  | mailwarden.dsn.notify | expected one of NEVER, SUCCESS, FAILURE, DELAY",
      "mailwarden.dsn.ret                       | FULL       | mailwarden.dsn.ret | set mailwarden.dsn.allow-full=true",
      "mailwarden.dsn.ret                       | BODY       | mailwarden.dsn.ret | expected one of HDRS, FULL",
      "mailwarden.recipients.on-invalid         | skip       | mailwarden.recipients.on-invalid | expected one of reject-message, drop-recipient",
      "mailwarden.recipients.syntax             | loose      | mailwarden.recipients.syntax | expected one of strict, lenient",
      "mailwarden.recipients.allow-domains      | exa mple.com | mailwarden.recipients.allow-domains | 'exa mple.com' is not a domain",
      "mailwarden.recipients.deny-domains       | *.         | mailwarden.recipients.deny-domains | ",
      "mailwarden.senders.allow-domains         | @example.com | mailwarden.senders.allow-domains | " })
  void invalidValueFailsStartUpWithTheAnalyzersMessage(String property, String value, String named, String reason) {
    withSmtpHost().withPropertyValues(property + "=" + value).run((context) -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = new MailwardenConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains("Property: " + named)
        .doesNotContain("mail.mailwarden.");
      assertThat(analysis.getDescription()).contains("Value: \"");
      if (reason != null) {
        assertThat(analysis.getDescription()).contains("Reason: ").contains(reason);
      }
      assertThat(analysis.getAction()).contains(named).contains("allowed value");
    });
  }

  @Test
  void invalidValueDescriptionShowsTheValueAsWritten() {
    withSmtpHost().withPropertyValues("mailwarden.recipients.syntax=loose").run((context) -> {
      FailureAnalysis analysis = new MailwardenConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).isEqualTo("""
          Invalid Mailwarden configuration:

              Property: mailwarden.recipients.syntax
              Value: "loose"
              Reason: expected one of strict, lenient""");
    });
  }

  @Test
  void failureAnalyzerIsRegisteredForSpringBoot() {
    withSmtpHost().withPropertyValues("mailwarden.dsn.ret=FULL").run((context) -> {
      FailureAnalysis analysis = registeredAnalysis(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("Property: mailwarden.dsn.ret");
    });
  }

  @Test
  void malformedNumberFailsStartUpNamingPropertyAndValue() {
    withSmtpHost().withPropertyValues("mailwarden.limit.messages-per-minute=ten").run((context) -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = registeredAnalysis(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("mailwarden.limit.messages-per-minute").contains("ten");
    });
  }

  @Test
  void unknownPropertyFailsStartUp() {
    withSmtpHost().withPropertyValues("mailwarden.limit.mesages-per-minute=5").run((context) -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = registeredAnalysis(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("mailwarden.limit.mesages-per-minute");
    });
  }

  @Test
  void domainWithoutBracketsFailsStartUpInsteadOfBeingIgnored() {
    withSmtpHost().withPropertyValues("mailwarden.limit.domain.gmail.com.recipients-per-minute=20").run((context) -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = registeredAnalysis(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("mailwarden.limit.domain.gmail.com.recipients-per-minute=20");
      assertThat(analysis.getAction()).contains("mailwarden.limit.domain[gmail.com].recipients-per-minute=20");
    });
  }

  @Test
  void metricsArePresentWhenARegistryIs() {
    withSmtpHost().withBean(SimpleMeterRegistry.class).run((context) -> {
      assertThat(context).hasSingleBean(MailwardenMetrics.class);
      assertThat(context).hasSingleBean(MailwardenQuotaMetrics.class);
    });
  }

  @Test
  void metricsAreAbsentWithoutARegistryBean() {
    withSmtpHost().run((context) -> assertThat(context).doesNotHaveBean(MailwardenMetrics.class)
      .doesNotHaveBean(MailwardenQuotaMetrics.class));
  }

  @Test
  void metricsAreAbsentWithoutMicrometer() {
    withSmtpHost().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
      .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MailwardenMetrics.class)
        .doesNotHaveBean(MailwardenQuotaMetrics.class));
  }

  @Test
  void metricsCountSendsRefusalsByReasonQuotaTokensAndDsnPerServer() {
    withSmtpHost().withBean(SimpleMeterRegistry.class)
      .withPropertyValues("mailwarden.app=metered", "mailwarden.limit.messages-per-minute=2")
      .run((context) -> {
        SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
        new MailwardenQuotaMetrics(context.getBean(JavaMailSenderImpl.class)).bindTo(registry);
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        sender.send(message(sender, "a@example.com"));
        sender.send(message(sender, "b@example.com"));
        for (String to : List.of("c@example.com", "d@localhost")) {
          try {
            sender.send(message(sender, to));
          }
          catch (MailSendException expected) {
            // a quota and a recipient refusal
          }
        }
        assertThat(registry.get("mailwarden.messages.sent").tag("app", "metered").counter().count()).isEqualTo(2);
        assertThat(registry.get("mailwarden.messages.refused").tag("reason", "quota-exceeded").counter().count())
          .isEqualTo(1);
        assertThat(registry.get("mailwarden.messages.refused").tag("reason", "recipients-rejected").counter().count())
          .isEqualTo(1);
        assertThat(registry.get("mailwarden.quota.available").tag("limit", "limit.messages-per-minute").gauge().value())
          .isEqualTo(0);
        assertThat(registry.get("mailwarden.quota.capacity").tag("limit", "limit.messages-per-minute").gauge().value())
          .isEqualTo(2);
        assertThat(registry.get("mailwarden.server.dsn")
          .tag("server", "127.0.0.1:" + greenMail.getSmtp().getPort())
          .gauge()
          .value()).as("GreenMail does not advertise DSN").isEqualTo(0);
      });
  }

  @Test
  void healthIsPresentAndBootsMailIndicatorStays() {
    withSmtpHost().run((context) -> {
      assertThat(context).hasSingleBean(MailwardenHealthIndicator.class);
      assertThat(context).hasBean("mailHealthContributor");
      assertThat(context.getBean("mailHealthContributor", HealthContributor.class)).isInstanceOf(HealthIndicator.class);
    });
  }

  @Test
  void healthIsAbsentWithoutTheHealthLibrary() {
    withSmtpHost().withClassLoader(new FilteredClassLoader(HealthIndicator.class))
      .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MailwardenHealthIndicator.class));
  }

  @Test
  void healthIsAbsentWhenSwitchedOff() {
    withSmtpHost().withPropertyValues("management.health.mailwarden.enabled=false")
      .run((context) -> assertThat(context).doesNotHaveBean(MailwardenHealthIndicator.class)
        .hasBean("mailHealthContributor"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void healthStaysUpWhenAQuotaIsExhaustedAndNamesIt() {
    withSmtpHost().withPropertyValues("mailwarden.limit.messages-per-minute=1").run((context) -> {
      JavaMailSender sender = context.getBean(JavaMailSender.class);
      sender.send(message(sender, "a@example.com"));
      Health health = context.getBean(MailwardenHealthIndicator.class).health(true);
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("exhausted", List.of("limit.messages-per-minute"));
      assertThat((Map<String, Object>) health.getDetails().get("quotas")).containsEntry("limit.messages-per-minute", "1/1");
    });
  }

  @Test
  void healthOpensNoSmtpConnection() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    this.contextRunner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + closedPort)
      .run((context) -> {
        assertThat(context.getBean(MailwardenHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        HealthIndicator boots = (HealthIndicator) context.getBean("mailHealthContributor");
        assertThat(boots.health().getStatus()).as("Spring Boot's mail indicator does connect").isEqualTo(Status.DOWN);
      });
  }

  @Test
  void testConnectionAtStartUpStillWorks() {
    withSmtpHost().withPropertyValues("spring.mail.test-connection=true")
      .run((context) -> assertThat(context).hasNotFailed());
  }

  @Test
  void endpointIsPresentWhenExposed() {
    withSmtpHost().withPropertyValues("management.endpoints.web.exposure.include=mailwarden")
      .run((context) -> assertThat(context).hasSingleBean(MailwardenEndpoint.class));
  }

  @Test
  void endpointIsAbsentWithoutActuator() {
    withSmtpHost().withPropertyValues("management.endpoints.web.exposure.include=mailwarden")
      .withClassLoader(new FilteredClassLoader(Endpoint.class))
      .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MailwardenEndpoint.class));
  }

  @Test
  void endpointShowsPoliciesAndQuotaUse() {
    withSmtpHost().withPropertyValues("management.endpoints.web.exposure.include=mailwarden",
        "mailwarden.app=shop", "mailwarden.limit.messages-per-minute=5")
      .run((context) -> {
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        sender.send(message(sender, "a@example.com"));
        MailwardenEndpoint.MailwardenDescriptor descriptor = context.getBean(MailwardenEndpoint.class).mailwarden();
        assertThat(descriptor.app()).isEqualTo("shop");
        assertThat(descriptor.policies()).containsEntry("limit.messages-per-minute", "5");
        assertThat(descriptor.quotas()).filteredOn((q) -> q.limit().equals("limit.messages-per-minute"))
          .singleElement()
          .satisfies((q) -> {
            assertThat(q.used()).isEqualTo(1);
            assertThat(q.capacity()).isEqualTo(5);
            assertThat(q.period()).isEqualTo("PT1M");
          });
      });
  }

  private static FailureAnalysis registeredAnalysis(Throwable failure) {
    // as Spring Boot's FailureAnalyzers does: every registered analyzer, in order, the first answer wins
    List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
      .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(),
          SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
          }));
    return analyzers.stream()
      .map((analyzer) -> analyzer.analyze(failure))
      .filter(Objects::nonNull)
      .findFirst()
      .orElseThrow(() -> new AssertionError("no registered FailureAnalyzer explains " + failure));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserPostProcessorConfiguration {

    @Bean
    static MailwardenMailSenderPostProcessor customPostProcessor(ObjectProvider<MailwardenProperties> properties,
        ObjectProvider<MailwardenListener> listeners, ObjectProvider<MailwardenCustomizer> customizers) {
      return new MailwardenMailSenderPostProcessor(properties, listeners, customizers);
    }

  }

}
