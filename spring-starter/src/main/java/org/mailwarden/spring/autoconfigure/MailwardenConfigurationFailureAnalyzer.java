package org.mailwarden.spring.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenConfigurationException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * Explains a {@link MailwardenConfigurationException} at start-up: the property the application set
 * ({@code mailwarden.x}, or {@code spring.mail.properties.mail.mailwarden.x} when it was set that
 * way), the value as written, where it was written ({@code Origin:}, as in Spring Boot's own
 * analyzers), what is allowed, and what to do. A suppression file locked by another process is
 * explained the same way, naming {@code mailwarden.suppression.file}. A value that Spring Boot could
 * not bind to one of the enum-typed {@code mailwarden.*} properties is explained with the values the
 * enum allows, and a key set both ways with different values with both names. Ordered before Spring
 * Boot's general analyzer of bind failures.
 */
class MailwardenConfigurationFailureAnalyzer implements FailureAnalyzer, Ordered {

  private static final String SPRING_PREFIX = "mailwarden.";

  private final Environment environment;

  /**
   * Creates the analyzer Spring Boot uses, which finds where each property was set.
   * @param environment the application's environment
   */
  public MailwardenConfigurationFailureAnalyzer(Environment environment) {
    this.environment = environment;
  }

  /** Creates an analyzer that knows no origins. */
  MailwardenConfigurationFailureAnalyzer() {
    this(null);
  }

  private static final Pattern DOMAIN_KEY = Pattern
    .compile("limit\\.domain\\.(.+)\\.(recipients-per-(?:minute|hour|day))");

  @Override
  public FailureAnalysis analyze(Throwable failure) {
    MailwardenPropertiesConflictException conflict = findCause(failure, MailwardenPropertiesConflictException.class);
    if (conflict != null) {
      return conflict(conflict);
    }
    MailwardenConfigurationException invalid = findCause(failure, MailwardenConfigurationException.class);
    if (invalid != null) {
      ConfigurationProperty set = setProperty(invalid.getKey());
      String property = (set != null) ? set.getName().toString() : springName(invalid.getKey());
      Object value = (set != null && set.getValue() != null) ? set.getValue() : invalid.getValue();
      return analysis(property, (value != null) ? String.valueOf(value) : null, (set != null) ? set.getOrigin() : null,
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
            unbound.getProperty().getOrigin(), "expected one of " + allowed, unbound);
      }
    }
    return null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  private FailureAnalysis conflict(MailwardenPropertiesConflictException conflict) {
    StringBuilder description = new StringBuilder(
        "Mailwarden's " + conflict.springName() + " is set twice, with different values:\n\n");
    property(description, conflict.springName(), conflict.springValue());
    description.append('\n');
    property(description, conflict.sessionPropertyName(), conflict.sessionValue());
    description.append("\n    Reason: neither may silently win (either may be a security setting)");
    String action = "Set " + conflict.springName() + " in one place: keep " + conflict.springName()
        + " and remove " + conflict.sessionPropertyName() + ", or give both the same value.";
    return new FailureAnalysis(description.toString(), action, conflict);
  }

  private void property(StringBuilder description, String name, String value) {
    description.append("    Property: ").append(name).append('\n');
    description.append("    Value: \"").append(value).append("\"\n");
    Origin origin = origin(name);
    if (origin != null) {
      description.append("    Origin: ").append(origin).append('\n');
    }
  }

  /**
   * Returns the property the application set for a session key, with its origin: {@code mailwarden.x},
   * else {@code spring.mail.properties.mail.mailwarden.x}, else (for {@code app})
   * {@code spring.application.name}; null when none is found, or the environment is unknown.
   */
  private ConfigurationProperty setProperty(String sessionKey) {
    if (this.environment == null || !sessionKey.startsWith(Mailwarden.PREFIX)) {
      return null;
    }
    List<String> names = new ArrayList<>(List.of(springName(sessionKey), "spring.mail.properties." + sessionKey));
    if (sessionKey.equals(Mailwarden.PREFIX + "app")) {
      names.add(SessionPropertiesMapper.APPLICATION_NAME);
    }
    for (String name : names) {
      ConfigurationProperty property = find(name);
      if (property != null) {
        return property;
      }
    }
    return null;
  }

  private Origin origin(String name) {
    ConfigurationProperty property = (this.environment != null) ? find(name) : null;
    return (property != null) ? property.getOrigin() : null;
  }

  private ConfigurationProperty find(String name) {
    ConfigurationPropertyName parsed = ConfigurationPropertyName.isValid(name) ? ConfigurationPropertyName.of(name)
        : ConfigurationPropertyName.adapt(name, '.');
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
      ConfigurationProperty property = source.getConfigurationProperty(parsed);
      if (property != null) {
        return property;
      }
    }
    return null;
  }

  private static FailureAnalysis analysis(String property, String value, Origin origin, String reason,
      Throwable cause) {
    StringBuilder description = new StringBuilder("Invalid Mailwarden configuration:\n\n");
    description.append("    Property: ").append(property).append('\n');
    if (value != null) {
      description.append("    Value: \"").append(value).append("\"\n");
    }
    if (origin != null) {
      description.append("    Origin: ").append(origin).append('\n');
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
