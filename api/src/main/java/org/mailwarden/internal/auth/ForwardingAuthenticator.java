package org.mailwarden.internal.auth;

import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import java.lang.ref.WeakReference;
import java.util.Objects;

/**
 * Forwards the password requests of a session Mailwarden made to the session the application made,
 * so that the application's {@link Authenticator} answers them. Not part of Mailwarden's API: it lives
 * in the api module only because both the api ({@code Mailwarden}'s derived sessions) and the
 * implementation (the delegate's session) need it, and the api cannot depend on the implementation.
 *
 * <p>The application's session is held weakly: both users cache the session they make under the
 * application's session as a weak key, and a strong path from the value back to its key would keep
 * both alive for ever. Once that session is gone, requests are answered with null (no credentials).
 */
public final class ForwardingAuthenticator extends Authenticator {
  private final WeakReference<Session> target;

  /** @param target the session whose authenticator answers */
  public ForwardingAuthenticator(Session target) {
    this.target = new WeakReference<>(Objects.requireNonNull(target, "target"));
  }

  @Override
  protected PasswordAuthentication getPasswordAuthentication() {
    Session s = target.get();
    return s == null ? null : s.requestPasswordAuthentication(getRequestingSite(),
        getRequestingPort(), getRequestingProtocol(), getRequestingPrompt(), getDefaultUserName());
  }
}
