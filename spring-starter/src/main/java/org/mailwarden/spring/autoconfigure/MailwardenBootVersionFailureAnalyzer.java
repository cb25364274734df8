package org.mailwarden.spring.autoconfigure;

import org.mailwarden.spring.autoconfigure.MailwardenBootVersionCheck.UnsupportedSpringBootVersionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says which Spring Boot the starter needs, and what to do on another one. */
class MailwardenBootVersionFailureAnalyzer extends AbstractFailureAnalyzer<UnsupportedSpringBootVersionException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedSpringBootVersionException cause) {
    String description = cause.getMessage() + ". On another Spring Boot its endpoint, meters and health "
        + "indicator would be missing without a word, so the application does not start.";
    String action = "Use Spring Boot " + MailwardenBootVersionCheck.TESTED + " with this starter. On Spring Boot "
        + cause.found() + ", remove mailwarden-spring-boot-starter and use org.mailwarden:mailwarden-impl "
        + "directly: spring.mail.protocol=mailwarden and the mail.mailwarden.* keys under "
        + "spring.mail.properties (see \"Use it from plain Jakarta Mail\" in the README).";
    return new FailureAnalysis(description, action, cause);
  }
}
