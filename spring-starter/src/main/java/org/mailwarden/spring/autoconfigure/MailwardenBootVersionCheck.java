package org.mailwarden.spring.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Checks the Spring Boot version before any bean is created: the starter supports Spring Boot 4
 * (built and tested against {@value #TESTED}). An unknown version (Spring Boot run from classes without
 * its version) passes.
 */
final class MailwardenBootVersionCheck implements BeanFactoryPostProcessor {

  /** The Spring Boot generation the starter is written for. */
  static final int SUPPORTED_MAJOR = 4;

  /** The versions the starter is built and tested against. */
  static final String TESTED = "4.0.x";

  private static final Pattern MAJOR = Pattern.compile("(\\d+)\\.\\d+.*");

  private final String version;

  MailwardenBootVersionCheck(String version) {
    this.version = version;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(version);
  }

  /**
   * Returns normally when {@code version} is a Spring Boot 4 version or unknown (null or not a
   * version).
   *
   * @throws UnsupportedSpringBootVersionException when it is another generation of Spring Boot
   */
  static void check(String version) {
    if (version == null) {
      return;
    }
    Matcher m = MAJOR.matcher(version.strip());
    if (m.matches() && Integer.parseInt(m.group(1)) != SUPPORTED_MAJOR) {
      throw new UnsupportedSpringBootVersionException(version.strip());
    }
  }

  /** Spring Boot is not a version the starter supports. */
  static final class UnsupportedSpringBootVersionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String found;

    UnsupportedSpringBootVersionException(String found) {
      super("mailwarden-spring-boot-starter supports Spring Boot " + TESTED + "; found " + found);
      this.found = found;
    }

    /** Returns the Spring Boot version found on the class path. */
    String found() {
      return found;
    }
  }
}
