package org.mailwarden.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailwarden.spring.autoconfigure.MailwardenBootVersionCheck.UnsupportedSpringBootVersionException;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * A Spring Boot the starter does not support stops start-up with a sentence that names the supported
 * and the found version, before any bean is created; Spring Boot 4 starts.
 */
class MailwardenBootVersionTests {

  private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
    .withConfiguration(AutoConfigurations.of(MailwardenBootVersionAutoConfiguration.class));

  @Test
  void theSpringBootOfTheBuildIsSupported() {
    assertThat(SpringBootVersion.getVersion()).startsWith("4.");
    contextRunner.run((context) -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(MailwardenBootVersionCheck.class);
    });
  }

  @Test
  void theCheckIsAnAutoConfigurationOfTheStarter() {
    assertThat(org.springframework.boot.context.annotation.ImportCandidates
        .load(org.springframework.boot.autoconfigure.AutoConfiguration.class, getClass().getClassLoader())
        .getCandidates()).contains(MailwardenBootVersionAutoConfiguration.class.getName());
  }

  @Test
  void springBoot3FailsStartUpNamingBothVersions() {
    new ApplicationContextRunner()
      .withBean(MailwardenBootVersionCheck.class, () -> new MailwardenBootVersionCheck("3.5.7"))
      .withBean("userBean", StringBuilder.class, () -> {
        throw new AssertionError("a bean was created before the version check");
      })
      .run((context) -> {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
          .isInstanceOf(UnsupportedSpringBootVersionException.class)
          .hasMessage("mailwarden-spring-boot-starter supports Spring Boot 4.0.x; found 3.5.7");
        FailureAnalysis analysis = registeredAnalysis(failure);
        assertThat(analysis.getDescription()).contains("supports Spring Boot 4.0.x; found 3.5.7");
        assertThat(analysis.getAction()).contains("Spring Boot 4.0.x", "On Spring Boot 3.5.7",
            "org.mailwarden:mailwarden-impl", "spring.mail.protocol=mailwarden");
      });
  }

  @ParameterizedTest
  @ValueSource(strings = { "3.5.7", "2.7.18", "5.0.0", "3.5.7-SNAPSHOT" })
  void anotherGenerationIsRefused(String version) {
    assertThatThrownBy(() -> MailwardenBootVersionCheck.check(version))
      .isInstanceOf(UnsupportedSpringBootVersionException.class)
      .hasMessageEndingWith("found " + version);
  }

  @ParameterizedTest
  @ValueSource(strings = { "4.0.0", "4.0.7", "4.1.0-M1", " 4.0.7 ", "unknown" })
  void springBoot4OrAnUnknownVersionPasses(String version) {
    assertThatCode(() -> MailwardenBootVersionCheck.check(version)).doesNotThrowAnyException();
  }

  @Test
  void aMissingVersionPasses() {
    assertThatCode(() -> MailwardenBootVersionCheck.check(null)).doesNotThrowAnyException();
  }

  private static FailureAnalysis registeredAnalysis(Throwable failure) {
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
}
