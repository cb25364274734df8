package org.mailwarden;

import java.util.Optional;
import org.mailwarden.suppression.ReputationGuard;
import org.mailwarden.suppression.SuppressionList;

/**
 * Implemented by the {@code mailwarden} transport. Code that holds a {@code Transport} from
 * {@code session.getTransport()} can cast it to learn what happened to the last message it sent.
 */
public interface GuardedTransport {
  /**
   * Returns the report of the last message this transport was asked to send, refused ones included;
   * empty before the first. A transport is used by one thread at a time, as Jakarta Mail requires.
   */
  Optional<SendReport> lastReport();

  /**
   * Parses the session's {@code mail.mailwarden.*} keys now instead of at the first send, so that a
   * misconfiguration fails at start-up.
   *
   * @throws MailwardenConfigurationException naming the first unknown key or malformed value
   */
  void checkConfiguration();

  /**
   * Returns the suppression list of this session's application ({@code suppression.*}); shared by
   * every session of the application in the JVM.
   *
   * @throws MailwardenConfigurationException naming the first unknown key or malformed value
   */
  SuppressionList suppressions();

  /**
   * Returns the reputation guard of this session's application ({@code reputation.*}).
   *
   * @throws MailwardenConfigurationException naming the first unknown key or malformed value
   */
  ReputationGuard reputation();
}
