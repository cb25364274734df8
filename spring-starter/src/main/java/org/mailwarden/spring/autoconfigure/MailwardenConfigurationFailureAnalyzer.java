package org.mailwarden.spring.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link MailwardenConfigurationException} at start-up: the property in its
 * {@code mailwarden.} form, the value, what is allowed, and what to do.
 */
class MailwardenConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<MailwardenConfigurationException> {

  private static final String SPRING_PREFIX = "mailwarden.";

  private static final Pattern DOMAIN_KEY = Pattern
    .compile("limit\\.domain\\.(.+)\\.(recipients-per-(?:minute|hour|day))");

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MailwardenConfigurationException cause) {
    String property = springName(cause.getKey());
    StringBuilder description = new StringBuilder("Invalid Mailwarden configuration:\n\n");
    description.append("    Property: ").append(property).append('\n');
    if (cause.getValue() != null) {
      description.append("    Value: \"").append(cause.getValue()).append("\"\n");
    }
    description.append("    Reason: ").append(cause.getProblem().replace(Mailwarden.PREFIX, SPRING_PREFIX));
    String action = "Update your application's configuration: give " + property
        + " an allowed value, or remove it to use the default (see the mailwarden.* keys in the "
        + "Mailwarden README).";
    return new FailureAnalysis(description.toString(), action, cause);
  }

  /**
   * Returns the Spring Boot name of a session key: {@code mail.mailwarden.limit.messages-per-minute}
   * is {@code mailwarden.limit.messages-per-minute}, a per-domain key has its domain in brackets, and
   * {@code mail.mailwarden.store.on-failure} is {@code mailwarden.redis.on-failure}.
   */
  static String springName(String sessionKey) {
    if (!sessionKey.startsWith(Mailwarden.PREFIX)) {
      return sessionKey;
    }
    String key = sessionKey.substring(Mailwarden.PREFIX.length());
    if (key.equals("store.on-failure")) {
      return SPRING_PREFIX + "redis.on-failure";
    }
    Matcher domain = DOMAIN_KEY.matcher(key);
    if (domain.matches()) {
      return SPRING_PREFIX + "limit.domain[" + domain.group(1) + "]." + domain.group(2);
    }
    return SPRING_PREFIX + key;
  }

}
