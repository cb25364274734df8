package org.mailwarden.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@link MailwardenStreamProviderEnvironmentPostProcessor}: Jakarta Mail's stream provider is named at
 * start-up only where that changes nothing but the speed of the look-up.
 */
class MailwardenStreamProviderEnvironmentPostProcessorTests {

  private static final String PROPERTY = MailwardenStreamProviderEnvironmentPostProcessor.PROPERTY;
  private static final String ANGUS = MailwardenStreamProviderEnvironmentPostProcessor.ANGUS;

  private String before;

  @BeforeEach
  void clearProperty() {
    before = System.clearProperty(PROPERTY);
  }

  @AfterEach
  void restoreProperty() {
    if (before == null) {
      System.clearProperty(PROPERTY);
    }
    else {
      System.setProperty(PROPERTY, before);
    }
  }

  @Test
  void startingAnApplicationNamesAngusProviderWhenUnset() {
    try (ConfigurableApplicationContext context = application().run()) {
      assertThat(System.getProperty(PROPERTY)).isEqualTo(ANGUS);
    }
  }

  @Test
  void aValueAlreadySetIsLeftAlone() {
    System.setProperty(PROPERTY, "com.example.OwnStreamProvider");
    try (ConfigurableApplicationContext context = application().run()) {
      assertThat(System.getProperty(PROPERTY)).isEqualTo("com.example.OwnStreamProvider");
    }
  }

  @Test
  void theSwitchSetToFalseLeavesThePropertyUnset() {
    try (ConfigurableApplicationContext context = application().run("--mailwarden.stream-provider.fix=false")) {
      assertThat(System.getProperty(PROPERTY)).isNull();
    }
  }

  @Test
  void nothingIsSetWhenTheSystemClassLoaderCannotLoadAngusProvider() {
    // as in an executable Spring Boot jar: the nested jars are not on the system class path
    new MailwardenStreamProviderEnvironmentPostProcessor(ClassLoader.getPlatformClassLoader())
      .postProcessEnvironment(new MockEnvironment(), new SpringApplication());
    assertThat(System.getProperty(PROPERTY)).isNull();
  }

  @Test
  void nothingIsSetWhenTheClassPathListsNoProvider() {
    SpringApplication application = new SpringApplication();
    FilteredClassLoader withoutServiceFile = new FilteredClassLoader(
        new ClassPathResource("META-INF/services/jakarta.mail.util.StreamProvider"));
    application.setResourceLoader(new DefaultResourceLoader(withoutServiceFile));
    new MailwardenStreamProviderEnvironmentPostProcessor(ClassLoader.getSystemClassLoader())
      .postProcessEnvironment(new MockEnvironment(), application);
    assertThat(System.getProperty(PROPERTY)).isNull();
  }

  @Test
  void theSwitchIsBoundAndNotPassedToTheSession() {
    new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class, MailwardenAutoConfiguration.class))
      .withPropertyValues("spring.mail.host=localhost", "mailwarden.stream-provider.fix=false",
          "mailwarden.suppression.store=memory", "mailwarden.app=stream-provider-" + UUID.randomUUID())
      .run((context) -> {
        assertThat(context).hasNotFailed();
        assertThat(SessionPropertiesMapper.map(context.getBean(MailwardenProperties.class), null, null))
          .doesNotContainKey("mail.mailwarden.stream-provider.fix");
      });
  }

  /** Why the system class loader is checked: a named provider is loaded through the thread's context loader. */
  @Test
  void aNamedProviderFailsInAThreadWhoseContextClassLoaderCannotSeeIt() throws Exception {
    assertThat(writeWithContextClassLoader(ClassLoader.getPlatformClassLoader())).isNull();
    System.setProperty(PROPERTY, ANGUS);
    assertThat(writeWithContextClassLoader(ClassLoader.getPlatformClassLoader()))
      .isInstanceOf(IllegalArgumentException.class);
    assertThat(writeWithContextClassLoader(ClassLoader.getSystemClassLoader())).isNull();
  }

  private static Throwable writeWithContextClassLoader(ClassLoader loader) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setText("text");
        message.saveChanges();
        message.writeTo(new ByteArrayOutputStream());
      }
      catch (Throwable ex) {
        failure.set(ex);
      }
    });
    thread.setContextClassLoader(loader);
    thread.start();
    thread.join();
    return failure.get();
  }

  private static SpringApplication application() {
    SpringApplication application = new SpringApplication(Empty.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    return application;
  }

  @Configuration(proxyBeanMethods = false)
  static class Empty {

  }

}
