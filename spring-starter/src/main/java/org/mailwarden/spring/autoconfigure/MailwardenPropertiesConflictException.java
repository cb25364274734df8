package org.mailwarden.spring.autoconfigure;

/**
 * A Mailwarden key set both as {@code mailwarden.*} and as
 * {@code spring.mail.properties.mail.mailwarden.*}, with different values: neither may silently win
 * (one of them may be a security setting such as a deny list), so start-up fails naming both.
 */
class MailwardenPropertiesConflictException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String sessionKey;

  private final String sessionValue;

  private final String springValue;

  MailwardenPropertiesConflictException(String sessionKey, String sessionValue, String springValue) {
    super("Mailwarden key " + sessionKey + " is set twice with different values: '" + sessionValue
        + "' through spring.mail.properties." + sessionKey + " and '" + springValue + "' through "
        + MailwardenConfigurationFailureAnalyzer.springName(sessionKey));
    this.sessionKey = sessionKey;
    this.sessionValue = sessionValue;
    this.springValue = springValue;
  }

  /** Returns the session key, {@code mail.mailwarden.x}. */
  String sessionKey() {
    return this.sessionKey;
  }

  /** Returns the name set through {@code spring.mail.properties}. */
  String sessionPropertyName() {
    return "spring.mail.properties." + this.sessionKey;
  }

  /** Returns the {@code mailwarden.*} name. */
  String springName() {
    return MailwardenConfigurationFailureAnalyzer.springName(this.sessionKey);
  }

  String sessionValue() {
    return this.sessionValue;
  }

  String springValue() {
    return this.springValue;
  }

}
