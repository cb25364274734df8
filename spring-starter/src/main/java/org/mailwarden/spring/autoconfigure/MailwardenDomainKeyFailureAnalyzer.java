package org.mailwarden.spring.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a per-domain quota written without brackets ({@code mailwarden.limit.domain.gmail.com.
 * recipients-per-minute}): Spring Boot splits the domain at its dots, the key is left unbound and
 * start-up fails. Also explains {@code mailwarden.store.on-failure}, the session key's name, which
 * Spring Boot cannot bind next to {@code mailwarden.store}: it is {@code mailwarden.redis.on-failure}.
 * Ordered before Spring Boot's general analyzer of unbound properties.
 */
class MailwardenDomainKeyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
    implements Ordered {

  private static final Pattern UNBRACKETED = Pattern
    .compile("mailwarden\\.limit\\.domain\\.(.+\\..+)\\.(recipients-per-(?:minute|hour|day))");

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
    for (ConfigurationProperty property : cause.getUnboundProperties()) {
      Matcher matcher = UNBRACKETED.matcher(property.getName().toString());
      if (matcher.matches()) {
        String bracketed = "mailwarden.limit.domain[" + matcher.group(1) + "]." + matcher.group(2);
        String description = "Mailwarden's per-domain quota " + property.getName() + "=" + property.getValue()
            + " was not applied: Spring Boot reads the dots of the domain as nested keys.";
        String action = "Write the domain in brackets: " + bracketed + "=" + property.getValue()
            + " (in YAML, the key \"[" + matcher.group(1) + "]\" under mailwarden.limit.domain).";
        return new FailureAnalysis(description, action, cause);
      }
      if (property.getName().toString().equals("mailwarden.store.on-failure")) {
        String description = "Mailwarden's " + property.getName() + "=" + property.getValue()
            + " was not applied: in Spring Boot, mailwarden.store is a value and cannot have nested keys.";
        String action = "Write it as mailwarden.redis.on-failure=" + property.getValue()
            + " (it becomes the session key mail.mailwarden.store.on-failure).";
        return new FailureAnalysis(description, action, cause);
      }
    }
    return null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

}
