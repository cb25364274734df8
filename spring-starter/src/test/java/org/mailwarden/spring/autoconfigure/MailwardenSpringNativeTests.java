package org.mailwarden.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.GuardedTransport;
import org.mailwarden.Mailwarden;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RefusalReason;
import org.mailwarden.spring.actuate.MailwardenEndpoint;
import org.mailwarden.spring.actuate.MailwardenMetrics;
import org.mailwarden.spring.actuate.MailwardenPoolMetrics;
import org.mailwarden.spring.mail.MailwardenMailSendException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The defects of issue 19 that a Spring Boot user met, one test per rule: settings are never dropped,
 * Mailwarden's state belongs to the context, refusals reach Spring's handlers, failure analysis names
 * the key that was set with its origin, and sends are observed.
 */
class MailwardenSpringNativeTests {

  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
    .withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class, MailwardenAutoConfiguration.class,
        MailwardenMetricsAutoConfiguration.class, MailwardenEndpointAutoConfiguration.class,
        MailwardenObservationAutoConfiguration.class))
    .withPropertyValues("management.endpoints.web.exposure.include=mailwarden");

  private ApplicationContextRunner withSmtpHost() {
    return this.contextRunner.withPropertyValues("spring.mail.host=127.0.0.1",
        "spring.mail.port=" + greenMail.getSmtp().getPort());
  }

  private static String app() {
    return "test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static MimeMessage message(JavaMailSender sender, String to) throws Exception {
    MimeMessage message = sender.createMimeMessage();
    message.setFrom("shop@example.com");
    message.setRecipients(MimeMessage.RecipientType.TO, to);
    message.setSubject("Order 42");
    message.setText("Thank you for your order.");
    return message;
  }

  private static GuardedTransport guarded(JavaMailSenderImpl sender) throws Exception {
    return (GuardedTransport) sender.getSession().getTransport(Mailwarden.PROTOCOL);
  }

  // 1. settings never dropped

  @Test
  void keysSetOnlyThroughSpringMailPropertiesAreEnforcedAndShownByTheEndpoint() {
    withSmtpHost()
      .withPropertyValues("mailwarden.app=" + app(),
          "spring.mail.properties.mail.mailwarden.recipients.deny-domains=competitor.example",
          "spring.mail.properties.mail.mailwarden.limit.messages-per-hour=1")
      .run((context) -> {
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        assertThatThrownBy(() -> sender.send(message(sender, "a@competitor.example")))
          .isInstanceOfSatisfying(MailSendException.class, (ex) -> assertThat(ex.getCause())
            .isInstanceOfSatisfying(RecipientRejectedException.class, (refused) -> assertThat(
                refused.getRejections().get(0).reason()).isEqualTo(RecipientReason.DENIED_DOMAIN)));
        sender.send(message(sender, "jane@example.com"));
        assertThatThrownBy(() -> sender.send(message(sender, "joe@example.com")))
          .hasCauseInstanceOf(QuotaExceededException.class);
        assertThat(context.getBean(MailwardenEndpoint.class).mailwarden().policies())
          .containsEntry("recipients.deny-domains", "competitor.example")
          .containsEntry("limit.messages-per-hour", "1");
      });
  }

  @Test
  void aKeySetBothWaysWithDifferentValuesFailsStartUpNamingBoth() {
    withSmtpHost()
      .withPropertyValues("mailwarden.recipients.deny-domains=spam.example",
          "spring.mail.properties.mail.mailwarden.recipients.deny-domains=competitor.example")
      .run((context) -> {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = registeredAnalysis(context.getStartupFailure());
        assertThat(analysis.getDescription())
          .contains("Property: mailwarden.recipients.deny-domains", "Value: \"spam.example\"")
          .contains("Property: spring.mail.properties.mail.mailwarden.recipients.deny-domains",
              "Value: \"competitor.example\"");
        assertThat(analysis.getAction()).contains("in one place");
      });
  }

  @Test
  void aKeySetBothWaysWithTheSameValueIsAccepted() {
    withSmtpHost()
      .withPropertyValues("mailwarden.app=" + app(), "mailwarden.limit.max-wait=2s",
          "spring.mail.properties.mail.mailwarden.limit.max-wait=2000ms")
      .run((context) -> {
        assertThat(context).hasNotFailed();
        assertThat(guarded(context.getBean(JavaMailSenderImpl.class)).effectivePolicies())
          .containsEntry("limit.max-wait", "2000ms");
      });
  }

  @Test
  void appDefaultsToSpringApplicationName() {
    withSmtpHost().withPropertyValues("spring.application.name=order-service").run((context) -> {
      assertThat(guarded(context.getBean(JavaMailSenderImpl.class)).effectivePolicies())
        .containsEntry("app", "order-service");
    });
  }

  @Test
  void enabledFalseSwitchesTheStarterOff() {
    withSmtpHost().withPropertyValues("mailwarden.enabled=false").run((context) -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(JavaMailSenderImpl.class).getProtocol()).isEqualTo("smtp");
      assertThat(context).doesNotHaveBean(MailwardenMailSenderPostProcessor.class)
        .doesNotHaveBean(MailwardenResources.class)
        .doesNotHaveBean(MailwardenEndpoint.class);
    });
  }

  // 2. state owned by the context

  @Test
  void aSecondContextDoesNotSeeTheFirstContextsQuota() {
    ApplicationContextRunner runner = withSmtpHost().withPropertyValues("mailwarden.app=shared-name",
        "mailwarden.limit.messages-per-hour=1");
    runner.run((first) -> {
      JavaMailSender sender = first.getBean(JavaMailSender.class);
      sender.send(message(sender, "jane@example.com"));
      assertThatThrownBy(() -> sender.send(message(sender, "joe@example.com")))
        .hasCauseInstanceOf(QuotaExceededException.class);
    });
    runner.run((second) -> {
      JavaMailSender sender = second.getBean(JavaMailSender.class);
      sender.send(message(sender, "jane@example.com"));
    });
  }

  @Test
  void closingTheContextClosesMailwardensState() {
    AtomicReference<JavaMailSender> kept = new AtomicReference<>();
    withSmtpHost().withPropertyValues("mailwarden.app=" + app()).run((context) -> {
      kept.set(context.getBean(JavaMailSender.class));
      kept.get().send(message(kept.get(), "jane@example.com"));
    });
    JavaMailSender sender = kept.get();
    assertThatThrownBy(() -> sender.send(message(sender, "joe@example.com")))
      .hasStackTraceContaining("environment is closed");
  }

  @Test
  void theSuppressionListIsInMemoryUnlessAFileIsSet(@TempDir Path dir) {
    withSmtpHost().withPropertyValues("mailwarden.app=" + app()).run((context) -> {
      assertThat(guarded(context.getBean(JavaMailSenderImpl.class)).effectivePolicies())
        .containsEntry("suppression.store", "memory");
    });
    Path file = dir.resolve("orders.suppressions");
    withSmtpHost().withPropertyValues("mailwarden.app=" + app(), "mailwarden.suppression.file=" + file)
      .run((context) -> {
        GuardedTransport transport = guarded(context.getBean(JavaMailSenderImpl.class));
        assertThat(transport.effectivePolicies()).containsEntry("suppression.store", "file");
        transport.suppressions().suppress("gone@example.com", "userunknown", "test");
        assertThat(file).exists();
      });
  }

  @Test
  void aSuppressionFileHeldByAnotherInstanceFailsStartUpNamingTheSpringKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("orders.suppressions");
    ApplicationContextRunner runner = withSmtpHost().withPropertyValues("mailwarden.app=" + app(),
        "mailwarden.suppression.file=" + file);
    runner.run((first) -> {
      guarded(first.getBean(JavaMailSenderImpl.class)).suppressions().suppress("gone@example.com", "userunknown",
          "test");
      runner.run((second) -> {
        assertThat(second).hasFailed();
        FailureAnalysis analysis = registeredAnalysis(second.getStartupFailure());
        assertThat(analysis.getDescription()).contains("Property: mailwarden.suppression.file")
          .contains("in use by another process")
          .doesNotContain("mail.mailwarden.");
      });
    });
    assertThat(Files.readString(file)).contains("gone@example.com");
  }

  // 3. refusals usable from Spring handlers

  @Test
  void aRefusedSendIsAMailSendExceptionCausedByMailwardensRefusal() {
    withSmtpHost().withPropertyValues("mailwarden.app=" + app(), "mailwarden.limit.messages-per-hour=1")
      .run((context) -> {
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        sender.send(message(sender, "jane@example.com"));
        assertThatThrownBy(() -> sender.send(message(sender, "joe@example.com")))
          .isInstanceOfSatisfying(MailwardenMailSendException.class, (ex) -> {
            assertThat(ex.getCause()).isInstanceOf(QuotaExceededException.class);
            assertThat(ex.getReason()).isEqualTo(RefusalReason.QUOTA_EXCEEDED);
            assertThat(ex.getRetryAfter()).hasValueSatisfying((wait) -> assertThat(wait).isPositive()
              .isLessThanOrEqualTo(Duration.ofHours(1)));
            assertThat(ex.getFailedMessages()).hasSize(1);
          });
      });
  }

  // 4. failure analysis names the key that was set, with its origin

  @Test
  void aPauseBelowTheDefaultWarningBlamesThePauseWithItsOrigin() {
    withSmtpHost().withPropertyValues("mailwarden.reputation.bounce-pause=0.2").run((context) -> {
      assertThat(context).hasFailed();
      StandardEnvironment environment = new StandardEnvironment();
      environment.getPropertySources()
        .addFirst(new MapPropertySource("application.properties",
            Map.of("mailwarden.reputation.bounce-pause", "0.2")));
      FailureAnalysis analysis = new MailwardenConfigurationFailureAnalyzer(environment)
        .analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("Property: mailwarden.reputation.bounce-pause")
        .contains("Value: \"0.2\"")
        .contains("Origin: \"mailwarden.reputation.bounce-pause\" from property source \"application.properties\"")
        .contains("must not be below reputation.bounce-warning (5%, its default)")
        .contains("0.2 means 0.2%")
        .doesNotContain("Property: mailwarden.reputation.bounce-warning");
    });
  }

  @Test
  void aKeySetThroughSpringMailPropertiesIsNamedAsItWasSet() {
    withSmtpHost().withPropertyValues("spring.mail.properties.mail.mailwarden.recipients.syntax=loose")
      .run((context) -> {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
          .addFirst(new MapPropertySource("test",
              Map.of("spring.mail.properties.mail.mailwarden.recipients.syntax", "loose")));
        FailureAnalysis analysis = new MailwardenConfigurationFailureAnalyzer(environment)
          .analyze(context.getStartupFailure());
        assertThat(analysis.getDescription())
          .contains("Property: spring.mail.properties.mail.mailwarden.recipients.syntax")
          .contains("Origin: ");
      });
  }

  @Test
  void aBadValueWithoutSpringMailHostFailsStartUp() {
    this.contextRunner.withPropertyValues("mailwarden.recipients.syntax=loose").run((context) -> {
      assertThat(context).hasFailed();
      assertThat(registeredAnalysis(context.getStartupFailure()).getDescription())
        .contains("Property: mailwarden.recipients.syntax");
    });
  }

  @Test
  void goodValuesWithoutSpringMailHostStart() {
    this.contextRunner.withPropertyValues("mailwarden.limit.messages-per-hour=5").run((context) -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(JavaMailSender.class);
    });
  }

  // 5. observation

  @Test
  void countersArePresentAtZeroBeforeTheFirstSend() {
    String app = app();
    withSmtpHost().withBean(SimpleMeterRegistry.class).withPropertyValues("mailwarden.app=" + app).run((context) -> {
      SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
      assertThat(registry.get("mailwarden.messages.sent").tag("app", app).counter().count()).isZero();
      assertThat(registry.get("mailwarden.messages.failed").tag("app", app).counter().count()).isZero();
      assertThat(registry.get("mailwarden.messages.refused").tag("app", app).tag("reason", "quota-exceeded")
        .counter().count()).isZero();
      assertThat(context).hasSingleBean(MailwardenMetrics.class);
    });
  }

  @Test
  void eachSendIsAnObservationWithAppOutcomeAndReasonAndATimer() {
    String app = app();
    List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    observations.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }

      @Override
      public void onStop(Observation.Context context) {
        stopped.add(context);
      }
    });
    withSmtpHost().withBean(ObservationRegistry.class, () -> observations)
      .withPropertyValues("mailwarden.app=" + app, "mailwarden.limit.messages-per-hour=1")
      .run((context) -> {
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        sender.send(message(sender, "jane@example.com"));
        assertThatThrownBy(() -> sender.send(message(sender, "joe@example.com")))
          .hasCauseInstanceOf(QuotaExceededException.class);
        assertThat(stopped).extracting(Observation.Context::getName).containsExactly("mailwarden.send",
            "mailwarden.send");
        assertThat(keyValues(stopped.get(0))).containsEntry("app", app).containsEntry("outcome", "sent")
          .containsEntry("reason", "none");
        assertThat(keyValues(stopped.get(1))).containsEntry("app", app).containsEntry("outcome", "refused")
          .containsEntry("reason", "quota-exceeded");
        assertThat(meters.get("mailwarden.send").tag("outcome", "refused").timer().count()).isEqualTo(1);
        assertThat(meters.get("mailwarden.send").tag("outcome", "sent").timer().count()).isEqualTo(1);
      });
  }

  @Test
  void poolGaugesCountOpenIdleAndLeasedConnections() {
    withSmtpHost().withBean(SimpleMeterRegistry.class).withPropertyValues("mailwarden.app=" + app()).run((context) -> {
      SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
      // Spring Boot's metrics auto-configuration binds MeterBinder beans; this runner has none of it
      context.getBean(MailwardenPoolMetrics.class).bindTo(registry);
      assertThat(registry.get("mailwarden.pool.connections.open").gauge().value()).isZero();
      JavaMailSender sender = context.getBean(JavaMailSender.class);
      sender.send(message(sender, "jane@example.com"));
      assertThat(registry.get("mailwarden.pool.connections.open").gauge().value()).isEqualTo(1);
      assertThat(registry.get("mailwarden.pool.connections.idle").gauge().value()).isEqualTo(1);
      assertThat(registry.get("mailwarden.pool.connections.leased").gauge().value()).isZero();
    });
  }

  private static Map<String, String> keyValues(Observation.Context context) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    context.getLowCardinalityKeyValues().forEach((kv) -> values.put(kv.getKey(), kv.getValue()));
    return values;
  }

  private static FailureAnalysis registeredAnalysis(Throwable failure) {
    // as Spring Boot's FailureAnalyzers does: every registered analyzer, in order, the first answer wins
    List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
      .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.of(
          org.springframework.core.env.Environment.class, new StandardEnvironment()),
          SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
          }));
    return analyzers.stream()
      .map((analyzer) -> analyzer.analyze(failure))
      .filter(Objects::nonNull)
      .findFirst()
      .orElseThrow(() -> new AssertionError("no registered FailureAnalyzer explains " + failure));
  }

}
