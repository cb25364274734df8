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
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.GuardedTransport;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.spring.actuate.MailwardenDeliverabilityMetrics;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.mock.env.MockEnvironment;
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
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
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
        MailwardenEndpointAutoConfiguration.class))
    // the default store is a journal in the user's home: tests keep the suppression list in memory
    .withPropertyValues("mailwarden.suppression.store=memory",
        // one application per test: sessions of one application must agree on their stores
        "mailwarden.app=test-" + UUID.randomUUID().toString().substring(0, 8));

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
      assertThat(sender.getJavaMailProperties()).containsEntry("mail.mailwarden.delegate", "smtp");
      // defaults live in the core: unset properties are not copied into the session, yet in effect
      assertThat(sender.getJavaMailProperties()).doesNotContainKey("mail.mailwarden.dsn.ret");
      assertThat(guarded(sender).effectivePolicies()).containsEntry("dsn.ret", "HDRS");
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
      "mailwarden.senders.allow-domains         | @example.com | mailwarden.senders.allow-domains | ",
      "mailwarden.pool.max-connections          | 0          | mailwarden.pool.max-connections | expected a whole number from 1 to 2147483647; to open a connection per send, set mailwarden.pool.enabled=false",
      "mailwarden.pool.max-messages-per-connection | -1      | mailwarden.pool.max-messages-per-connection | expected a whole number",
      "mailwarden.dns.on-failure                | maybe      | mailwarden.dns.on-failure | expected one of send, refuse",
      "mailwarden.dns.retries                   | 11         | mailwarden.dns.retries | expected 0 to 10 retries",
      "mailwarden.dns.timeout                   | 0s         | mailwarden.dns.timeout | expected a duration above zero",
      "mailwarden.dns.cache.max-size            | 0          | mailwarden.dns.cache.max-size | expected at least 1 domain",
      "mailwarden.suppression.store             | disk       | mailwarden.suppression.store | expected one of file, memory, none",
      "mailwarden.suppression.soft-threshold    | -1         | mailwarden.suppression.soft-threshold | expected a whole number",
      "mailwarden.reputation.bounce-pause       | 150%       | mailwarden.reputation.bounce-pause | expected a percentage from 0 to 100, such as 5% or 0.1%",
      "mailwarden.reputation.complaint-warning  | 1%         | mailwarden.reputation.complaint-warning | must not be above reputation.complaint-pause",
      "mailwarden.reputation.resume             | sometimes  | mailwarden.reputation.resume | expected one of manual, auto",
      "mailwarden.reputation.window             | 10s        | mailwarden.reputation.window | expected at least 1m" })
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
              Origin: "mailwarden.recipients.syntax" from property source "test"
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

  @Test
  void poolPropertiesBecomeSessionKeysAndTheSenderStillSends() {
    withSmtpHost()
      .withPropertyValues("mailwarden.pool.enabled=true", "mailwarden.pool.max-connections=2",
          "mailwarden.pool.max-messages-per-connection=10", "mailwarden.pool.idle-timeout=5s",
          "mailwarden.pool.max-wait=1500ms")
      .run((context) -> {
        assertThat(context.getBean(JavaMailSenderImpl.class).getJavaMailProperties())
          .containsEntry("mail.mailwarden.pool.enabled", "true")
          .containsEntry("mail.mailwarden.pool.max-connections", "2")
          .containsEntry("mail.mailwarden.pool.max-messages-per-connection", "10")
          .containsEntry("mail.mailwarden.pool.idle-timeout", "5000ms")
          .containsEntry("mail.mailwarden.pool.max-wait", "1500ms");
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        sender.send(message(sender, "jane@example.com"));
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
      });
  }

  @Test
  void dnsPropertiesBecomeSessionKeys() {
    withSmtpHost()
      .withPropertyValues("mailwarden.recipients.check-mx=true", "mailwarden.dns.servers=127.0.0.1:5353,[::1]:53",
          "mailwarden.dns.timeout=750ms", "mailwarden.dns.retries=2", "mailwarden.dns.cache.max-ttl=30m",
          "mailwarden.dns.cache.negative-ttl=1m", "mailwarden.dns.cache.max-size=500",
          "mailwarden.dns.on-failure=refuse")
      .run((context) -> {
        assertThat(context).hasNotFailed();
        assertThat(context.getBean(JavaMailSenderImpl.class).getJavaMailProperties())
          .containsEntry("mail.mailwarden.recipients.check-mx", "true")
          .containsEntry("mail.mailwarden.dns.servers", "127.0.0.1:5353,[::1]:53")
          .containsEntry("mail.mailwarden.dns.timeout", "750ms")
          .containsEntry("mail.mailwarden.dns.retries", "2")
          .containsEntry("mail.mailwarden.dns.cache.max-ttl", "1800000ms")
          .containsEntry("mail.mailwarden.dns.cache.negative-ttl", "60000ms")
          .containsEntry("mail.mailwarden.dns.cache.max-size", "500")
          .containsEntry("mail.mailwarden.dns.on-failure", "refuse");
      });
  }

  @Test
  void suppressionAndReputationPropertiesBecomeSessionKeys(@TempDir Path dir) {
    Path journal = dir.resolve("shop.suppressions");
    withSmtpHost()
      .withPropertyValues("mailwarden.suppression.store=file", "mailwarden.suppression.file=" + journal,
          "mailwarden.suppression.soft-threshold=5", "mailwarden.suppression.soft-window=2d",
          "mailwarden.suppression.ttl=365d", "mailwarden.suppression.correlation-window=3d",
          "mailwarden.suppression.correlation-size=5000", "mailwarden.reputation.enabled=true",
          "mailwarden.reputation.window=12h", "mailwarden.reputation.min-sends=100",
          "mailwarden.reputation.bounce-warning=2%", "mailwarden.reputation.bounce-pause=4.5%",
          "mailwarden.reputation.complaint-warning=0.05%", "mailwarden.reputation.complaint-pause=0.2%",
          "mailwarden.reputation.resume=auto")
      .run((context) -> {
        JavaMailSenderImpl sender = context.getBean(JavaMailSenderImpl.class);
        assertThat(sender.getJavaMailProperties()).containsEntry("mail.mailwarden.suppression.store", "file")
          .containsEntry("mail.mailwarden.suppression.file", journal.toString())
          .containsEntry("mail.mailwarden.suppression.soft-threshold", "5")
          .containsEntry("mail.mailwarden.suppression.soft-window", "172800000ms")
          .containsEntry("mail.mailwarden.suppression.ttl", "31536000000ms")
          .containsEntry("mail.mailwarden.suppression.correlation-window", "259200000ms")
          .containsEntry("mail.mailwarden.suppression.correlation-size", "5000")
          .containsEntry("mail.mailwarden.reputation.enabled", "true")
          .containsEntry("mail.mailwarden.reputation.window", "43200000ms")
          .containsEntry("mail.mailwarden.reputation.min-sends", "100")
          .containsEntry("mail.mailwarden.reputation.bounce-warning", "2%")
          .containsEntry("mail.mailwarden.reputation.bounce-pause", "4.5%")
          .containsEntry("mail.mailwarden.reputation.complaint-warning", "0.05%")
          .containsEntry("mail.mailwarden.reputation.complaint-pause", "0.2%")
          .containsEntry("mail.mailwarden.reputation.resume", "auto");
        // the file store is the one configured: an entry lands in the temporary journal
        guarded(sender).suppressions().suppress("jane@example.com", "asked to stop", "manual");
        assertThat(journal).exists();
        assertThat(Files.readString(journal)).contains("jane@example.com");
      });
  }

  @Test
  void unsetLaterGroupsLeaveMailwardensDefaultsAndPassNoKey() {
    this.contextRunner
      .withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + greenMail.getSmtp().getPort(),
          "mailwarden.app=test-" + UUID.randomUUID().toString().substring(0, 8))
      .withPropertyValues("mailwarden.suppression.store=memory")
      .run((context) -> {
        Map<Object, Object> session = context.getBean(JavaMailSenderImpl.class).getJavaMailProperties();
        assertThat(session.keySet()).map(String::valueOf)
          .filteredOn((key) -> key.matches("mail\\.mailwarden\\.(pool|dns|reputation|store|redis)\\..*|mail\\.mailwarden\\.store"))
          .isEmpty();
        assertThat(session.keySet()).map(String::valueOf)
          .filteredOn((key) -> key.startsWith("mail.mailwarden.suppression."))
          .containsExactly("mail.mailwarden.suppression.store");
      });
  }

  @Test
  void storeOnFailureWrittenUnderStoreFailsStartUpSayingToWriteRedisOnFailure() {
    withSmtpHost().withPropertyValues("mailwarden.store=local", "mailwarden.store.on-failure=local").run((context) -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = registeredAnalysis(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("mailwarden.store.on-failure=local");
      assertThat(analysis.getAction()).contains("mailwarden.redis.on-failure=local")
        .contains("mail.mailwarden.store.on-failure");
    });
  }

  @Test
  void analyzerNamesStoreOnFailureByItsSpringName() {
    assertThat(MailwardenConfigurationFailureAnalyzer.springName("mail.mailwarden.store.on-failure"))
      .isEqualTo("mailwarden.redis.on-failure");
    assertThat(MailwardenConfigurationFailureAnalyzer.springName("mail.mailwarden.store")).isEqualTo("mailwarden.store");
    assertThat(MailwardenConfigurationFailureAnalyzer.springName("mail.mailwarden.redis.uri"))
      .isEqualTo("mailwarden.redis.uri");
  }

  @Test
  void storeAndRedisPropertiesMapOnlyWhenSet() {
    MailwardenProperties properties = properties();
    assertThat(SessionPropertiesMapper.map(properties, "smtp", new MockEnvironment()).keySet())
      .noneMatch((key) -> key.startsWith("mail.mailwarden.store") || key.startsWith("mail.mailwarden.redis."));

    properties = properties("mailwarden.store", "redis", "mailwarden.redis.uri", "redis://cache.internal:6379/1",
        "mailwarden.redis.key-prefix", "shop:mw:", "mailwarden.redis.timeout", "250ms",
        "mailwarden.redis.on-failure", "local");
    assertThat(SessionPropertiesMapper.map(properties, "smtp",
        new MockEnvironment().withProperty("spring.data.redis.host", "ignored.example")))
      .containsEntry("mail.mailwarden.store", "redis")
      .containsEntry("mail.mailwarden.redis.uri", "redis://cache.internal:6379/1")
      .containsEntry("mail.mailwarden.redis.key-prefix", "shop:mw:")
      .containsEntry("mail.mailwarden.redis.timeout", "250ms")
      .containsEntry("mail.mailwarden.store.on-failure", "local");
  }

  @Test
  void storeRedisWithoutUriTakesItFromSpringDataRedisProperties() {
    MailwardenProperties properties = properties("mailwarden.store", "redis");
    MockEnvironment environment = new MockEnvironment().withProperty("spring.data.redis.host", "redis.example")
      .withProperty("spring.data.redis.port", "6380")
      .withProperty("spring.data.redis.database", "2")
      .withProperty("spring.data.redis.username", "shop")
      .withProperty("spring.data.redis.password", "p@ss:word")
      .withProperty("spring.data.redis.ssl.enabled", "true");
    assertThat(SessionPropertiesMapper.map(properties, "smtp", environment))
      .containsEntry("mail.mailwarden.redis.uri", "rediss://shop:p%40ss:word@redis.example:6380/2");
  }

  @Test
  void storeRedisWithoutUriTakesOnlyTheSpringDataRedisPropertiesThatAreSet() {
    MailwardenProperties properties = properties("mailwarden.store", "redis");
    assertThat(SessionPropertiesMapper.map(properties, "smtp",
        new MockEnvironment().withProperty("spring.data.redis.password", "secret")))
      .containsEntry("mail.mailwarden.redis.uri", "redis://:secret@localhost:6379/0");
    assertThat(SessionPropertiesMapper.map(properties, "smtp",
        new MockEnvironment().withProperty("spring.data.redis.host", "::1")))
      .containsEntry("mail.mailwarden.redis.uri", "redis://[::1]:6379/0");
  }

  @Test
  void storeRedisWithoutUriTakesSpringDataRedisUrlAsItIs() {
    MailwardenProperties properties = properties("mailwarden.store", "redis");
    MockEnvironment environment = new MockEnvironment()
      .withProperty("spring.data.redis.url", "rediss://user:pw@redis.example:6390/3")
      .withProperty("spring.data.redis.host", "other.example");
    assertThat(SessionPropertiesMapper.map(properties, "smtp", environment))
      .containsEntry("mail.mailwarden.redis.uri", "rediss://user:pw@redis.example:6390/3");
  }

  @Test
  void storeRedisWithoutUriOrSpringDataRedisPassesNoUriSoMailwardenReportsItMissing() {
    MailwardenProperties properties = properties("mailwarden.store", "redis");
    assertThat(SessionPropertiesMapper.map(properties, "smtp", new MockEnvironment()))
      .containsEntry("mail.mailwarden.store", "redis")
      .doesNotContainKey("mail.mailwarden.redis.uri");
  }

  @Test
  void storeLocalNeverDerivesARedisUri() {
    MailwardenProperties properties = properties("mailwarden.store", "local");
    assertThat(SessionPropertiesMapper.map(properties, "smtp",
        new MockEnvironment().withProperty("spring.data.redis.host", "redis.example")))
      .doesNotContainKey("mail.mailwarden.redis.uri");
  }

  @Test
  void postProcessorReadsSpringDataRedisFromTheApplicationsEnvironment() {
    MailwardenProperties properties = properties("mailwarden.store", "redis");
    MailwardenMailSenderPostProcessor postProcessor = new MailwardenMailSenderPostProcessor(provider(properties),
        provider(null), provider(null));
    postProcessor.setEnvironment(new MockEnvironment().withProperty("spring.data.redis.host", "redis.example"));
    JavaMailSenderImpl sender = new JavaMailSenderImpl();
    try {
      postProcessor.postProcessBeforeInitialization(sender, "mailSender");
    }
    catch (MailwardenConfigurationException ex) {
      // a Mailwarden without the Redis module does not know mailwarden.store; checked after the mapping
    }
    assertThat(sender.getJavaMailProperties()).containsEntry("mail.mailwarden.store", "redis")
      .containsEntry("mail.mailwarden.redis.uri", "redis://redis.example:6379/0");
  }

  @Test
  void endpointShowsTheSuppressionListAndTheReputation() {
    withSmtpHost().withPropertyValues("management.endpoints.web.exposure.include=mailwarden").run((context) -> {
      JavaMailSenderImpl sender = context.getBean(JavaMailSenderImpl.class);
      guarded(sender).suppressions().suppress("jane@example.com", "asked to stop", "manual");
      guarded(sender).suppressions().suppress("joe@example.com", "asked to stop", "manual");
      sender.send(message(sender, "ann@example.com"));

      MailwardenEndpoint.MailwardenDescriptor descriptor = context.getBean(MailwardenEndpoint.class).mailwarden();
      assertThat(descriptor.suppression().size()).isEqualTo(2);
      assertThat(descriptor.reputation().state()).isEqualTo("ok");
      assertThat(descriptor.reputation().sends()).isEqualTo(1);
      assertThat(descriptor.reputation().bounces()).isZero();
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void healthIsOutOfServiceWhileTheReputationGuardPausesSending() {
    withSmtpHost().withPropertyValues("mailwarden.reputation.min-sends=2").run((context) -> {
      JavaMailSenderImpl sender = context.getBean(JavaMailSenderImpl.class);
      MailwardenHealthIndicator indicator = context.getBean(MailwardenHealthIndicator.class);
      sender.send(message(sender, "ann@example.com"));
      sender.send(message(sender, "jane@example.com"));
      assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

      guarded(sender).suppressions().record(hardBounce("jane@example.com"));

      Health health = indicator.health(true);
      assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat((Map<String, Object>) health.getDetails().get("reputation")).containsEntry("state", "paused")
        .containsEntry("sends", 2L)
        .containsEntry("bounces", 1L);
      assertThatThrownBy(() -> sender.send(message(sender, "bob@example.com")))
        .isInstanceOfSatisfying(MailSendException.class, (ex) -> assertThat(failureOf(ex))
          .isInstanceOfSatisfying(SendRefusedException.class,
              (refused) -> assertThat(refused.getReason()).isEqualTo(RefusalReason.PAUSED)));

      guarded(sender).reputation().resume();
      assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    });
  }

  @Test
  void healthIsDownWhileTheSharedStoreDoesNotAnswerAndSendsAreRefused() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort(); // nothing listens there once the socket is closed
    }
    withSmtpHost().withPropertyValues("mailwarden.app=store-down", "mailwarden.store=redis",
        "mailwarden.redis.uri=redis://127.0.0.1:" + closed + "/0", "mailwarden.redis.timeout=300ms")
      .run((context) -> {
        Health health = context.getBean(MailwardenHealthIndicator.class).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((Map<String, Object>) health.getDetails().get("store")).containsEntry("reachable", false);
      });
  }

  @Test
  void healthStaysUpButDegradedWhenSendsFallBackToLocalLimits() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    withSmtpHost().withPropertyValues("mailwarden.app=store-down-local", "mailwarden.store=redis",
        "mailwarden.redis.uri=redis://127.0.0.1:" + closed + "/0", "mailwarden.redis.timeout=300ms",
        "mailwarden.redis.on-failure=local")
      .run((context) -> {
        Health health = context.getBean(MailwardenHealthIndicator.class).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsKey("degraded");
      });
  }

  @Test
  void metricsGaugeTheSuppressionListAndTheReputationState() {
    withSmtpHost().withBean(SimpleMeterRegistry.class)
      .withPropertyValues("mailwarden.app=gauged", "mailwarden.reputation.min-sends=1")
      .run((context) -> {
        SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
        context.getBean(MailwardenDeliverabilityMetrics.class).bindTo(registry);
        JavaMailSenderImpl sender = context.getBean(JavaMailSenderImpl.class);
        assertThat(registry.get("mailwarden.suppression.size").tag("app", "gauged").gauge().value()).isZero();
        assertThat(registry.get("mailwarden.reputation.state").tag("state", "ok").gauge().value()).isEqualTo(1);
        assertThat(registry.find("mailwarden.dns.lookups").meters()).as("check-mx is off").isEmpty();

        sender.send(message(sender, "jane@example.com"));
        guarded(sender).suppressions().record(hardBounce("jane@example.com"));

        assertThat(registry.get("mailwarden.suppression.size").gauge().value()).isEqualTo(1);
        assertThat(registry.get("mailwarden.reputation.state").tag("state", "ok").gauge().value()).isZero();
        assertThat(registry.get("mailwarden.reputation.state").tag("state", "paused").gauge().value()).isEqualTo(1);
        assertThat(registry.get("mailwarden.reputation.bounce.rate").gauge().value()).isEqualTo(1.0);
        guarded(sender).reputation().resume();
      });
  }

  @Test
  void metricsCountDnsLookupsCacheHitsAndFailuresWhenCheckMxIsOn() throws Exception {
    // a DNS server that never answers: the first lookup of a domain fails (and is sent anyway), the
    // second check of the domain is answered from the cache
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      withSmtpHost().withBean(SimpleMeterRegistry.class)
        .withPropertyValues("mailwarden.app=dns-metered", "mailwarden.recipients.check-mx=true",
            "mailwarden.dns.servers=127.0.0.1:" + silent.getLocalPort(), "mailwarden.dns.timeout=200ms",
            "mailwarden.dns.retries=0", "mailwarden.dns.on-failure=send")
        .run((context) -> {
          SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
          context.getBean(MailwardenDeliverabilityMetrics.class).bindTo(registry);
          JavaMailSender sender = context.getBean(JavaMailSender.class);
          assertThat(registry.get("mailwarden.dns.lookups").tag("app", "dns-metered").functionCounter().count())
            .isZero();
          sender.send(message(sender, "jane@mw-unanswered.example"));
          sender.send(message(sender, "joe@mw-unanswered.example"));
          assertThat(greenMail.getReceivedMessages()).hasSize(2);
          assertThat(registry.get("mailwarden.dns.lookups").functionCounter().count()).isEqualTo(1);
          assertThat(registry.get("mailwarden.dns.failures").functionCounter().count()).isEqualTo(1);
          assertThat(registry.get("mailwarden.dns.cache.hits").functionCounter().count()).isEqualTo(1);
        });
    }
  }

  private static GuardedTransport guarded(JavaMailSenderImpl sender) throws Exception {
    return (GuardedTransport) sender.getSession().getTransport("mailwarden");
  }

  private static BouncedRecipient hardBounce(String address) {
    return new BouncedRecipient(address, "failed", "5.1.1", 550, "550 5.1.1 no such user", BounceReason.USERUNKNOWN,
        true, null, null, null);
  }

  /** Binds the properties as Spring Boot does, from pairs of names and values. */
  private static MailwardenProperties properties(String... pairs) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put(pairs[i], pairs[i + 1]);
    }
    return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("mailwarden",
        MailwardenProperties.class);
  }

  private static <T> ObjectProvider<T> provider(T object) {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    if (object != null) {
      beans.addBean("bean", object);
    }
    return beans.getBeanProvider(ResolvableType.forClass((object != null) ? object.getClass() : Object.class));
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
