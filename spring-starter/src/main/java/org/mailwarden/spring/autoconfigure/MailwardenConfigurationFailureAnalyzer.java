package org.mailwarden.spring.autoconfigure;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenConfigurationException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

/**
 * Explains a {@link MailwardenConfigurationException} at start-up: the property in its
 * {@code mailwarden.} form, the value, what is allowed, and what to do. A value that Spring Boot
 * could not bind to one of the enum-typed {@code mailwarden.*} properties is explained the same way,
 * with the values the enum allows. Ordered before Spring Boot's general analyzer of bind failures.
 */
class MailwardenConfigurationFailureAnalyzer implements FailureAnalyzer, Ordered {

  private static final String SPRING_PREFIX = "mailwarden.";

  private static final Pattern DOMAIN_KEY = Pattern
    .compile("limit\\.domain\\.(.+)\\.(recipients-per-(?:minute|hour|day))");

  @Override
  public FailureAnalysis analyze(Throwable failure) {
    MailwardenConfigurationException invalid = findCause(failure, MailwardenConfigurationException.class);
    if (invalid != null) {
      return analysis(springName(invalid.getKey()), invalid.getValue(),
          invalid.getProblem().replace(Mailwarden.PREFIX, SPRING_PREFIX), invalid);
    }
    BindException unbound = findCause(failure, BindException.class);
    if (unbound != null && unbound.getProperty() != null && unbound.getName().toString().startsWith(SPRING_PREFIX)) {
      ResolvableType type = unbound.getTarget().getType();
      Class<?> target = type.asCollection().equals(ResolvableType.NONE) ? type.resolve() : type.asCollection()
        .getGeneric(0)
        .resolve();
      if (target != null && target.isEnum()) {
        String allowed = Arrays.stream(target.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        return analysis(unbound.getName().toString(), String.valueOf(unbound.getProperty().getValue()),
            "expected one of " + allowed, unbound);
      }
    }
    return null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  private static FailureAnalysis analysis(String property, String value, String reason, Throwable cause) {
    StringBuilder description = new StringBuilder("Invalid Mailwarden configuration:\n\n");
    description.append("    Property: ").append(property).append('\n');
    if (value != null) {
      description.append("    Value: \"").append(value).append("\"\n");
    }
    description.append("    Reason: ").append(reason);
    String action = "Update your application's configuration: give " + property
        + " an allowed value, or remove it to use the default (see the mailwarden.* keys in the "
        + "Mailwarden README).";
    return new FailureAnalysis(description.toString(), action, cause);
  }

  private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
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
