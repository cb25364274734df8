package org.mailwarden.spring.autoconfigure;

import java.util.ServiceLoader;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Names Angus Mail's stream provider in the system property {@value #PROPERTY} at start-up, as Spring
 * Boot sets {@code java.awt.headless}. Jakarta Mail 2.1 looks its {@code StreamProvider} up for every
 * message it writes; with the property unset each look-up is a new {@code ServiceLoader} that reads the
 * service file from its jar again, which costs every Jakarta Mail sender of the application (Spring's
 * {@code JavaMailSender} and Mailwarden alike) a large part of its time per message on a fast server
 * (BENCHMARKS.md). With the property set Jakarta Mail loads the named class directly.
 *
 * <p>The property is set only when naming the class changes which provider is used for no thread:
 * <ul>
 * <li>it is unset (a value given on the command line or by the application is left alone);</li>
 * <li>Angus's {@value #ANGUS} is the first provider the application's class loader lists, so it is the
 * one the look-up finds anyway;</li>
 * <li>the system class loader can load it. Jakarta Mail loads a named provider through the thread's
 * context class loader and fails (an {@code IllegalArgumentException} from every send) when that
 * loader cannot see the class, where the unnamed look-up falls back to its own class loader. Threads
 * without a context class loader, and those of the common fork-join pool, use the system class
 * loader, which in an executable Spring Boot jar does not see the nested jars: there the property is
 * not set.</li>
 * </ul>
 *
 * <p>{@value #SWITCH}{@code =false} turns this off. Runs after the application's configuration files
 * have been read, so the switch may be set there.
 */
public final class MailwardenStreamProviderEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  /** Jakarta Mail's system property that names the stream provider. */
  static final String PROPERTY = "jakarta.mail.util.StreamProvider";

  /** Angus Mail's stream provider. */
  static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";

  /** The Spring property that turns this off. */
  static final String SWITCH = "mailwarden.stream-provider.fix";

  private final ClassLoader systemClassLoader;

  /** Called by Spring Boot. */
  public MailwardenStreamProviderEnvironmentPostProcessor() {
    this(ClassLoader.getSystemClassLoader());
  }

  /** For tests: the loader that stands for the system class loader. */
  MailwardenStreamProviderEnvironmentPostProcessor(ClassLoader systemClassLoader) {
    this.systemClassLoader = systemClassLoader;
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getProperty(SWITCH, Boolean.class, true) || System.getProperty(PROPERTY) != null) {
      return;
    }
    if (angusIsFirst(application.getClassLoader()) && loadable(systemClassLoader)) {
      System.setProperty(PROPERTY, ANGUS);
    }
  }

  /** After the configuration files (Spring Boot's config data processor runs early). */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  private static boolean angusIsFirst(ClassLoader loader) {
    try {
      return ServiceLoader.load(jakarta.mail.util.StreamProvider.class, loader).stream()
        .findFirst()
        .map((provider) -> provider.type().getName().equals(ANGUS))
        .orElse(false);
    }
    catch (RuntimeException | LinkageError ex) { // a broken service file: leave the look-up as it is
      return false;
    }
  }

  private static boolean loadable(ClassLoader loader) {
    try {
      Class.forName(ANGUS, false, loader);
      return true;
    }
    catch (ClassNotFoundException | LinkageError ex) {
      return false;
    }
  }

}
