package org.mailwarden.transport;

import java.util.Set;

/**
 * Tells a connect that is the first step of a send from one an application makes on its own. Jakarta
 * Mail's {@code Transport.send}, Mailwarden's {@code send}/{@code sendMessage} and Spring's
 * {@code JavaMailSenderImpl.doSend} all connect, send and close; for them the connection can wait
 * until a message has passed the policies. An application's own {@code connect()} (or Spring's
 * {@code testConnection}) means "connect now", and gets that.
 */
final class SendPaths {
  /** Class and method of each caller that connects only to send. */
  private static final Set<String> SENDERS = Set.of(
      "jakarta.mail.Transport#send0",
      "org.mailwarden.Mailwarden#deliver",
      "org.springframework.mail.javamail.JavaMailSenderImpl#doSend");
  /** Frames above the transport's connect that may still be the sender's (Service's overloads between). */
  private static final int DEPTH = 8;

  private final StackWalker walker = StackWalker.getInstance();

  /** Returns whether one of the callers close above is a send path. */
  boolean calledFromSend() {
    return walker.walk(frames -> frames.limit(DEPTH)
        .anyMatch(f -> SENDERS.contains(f.getClassName() + "#" + f.getMethodName())));
  }
}
