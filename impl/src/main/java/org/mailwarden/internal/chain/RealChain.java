package org.mailwarden.internal.chain;

import jakarta.mail.MessagingException;
import java.util.List;
import java.util.Objects;

/**
 * The chain as a cursor over the policy list: {@link #proceed(Outgoing)} runs the next policy, and
 * after the last one the terminal {@link Terminal} delivers. Each cursor may proceed only once.
 */
public final class RealChain implements Policy.Chain {
  /** The last link: hands the message to the server. */
  @FunctionalInterface
  public interface Terminal {
    Delivered deliver(Outgoing outgoing) throws MessagingException;
  }

  private final List<Policy> policies;
  private final int index;
  private final Outgoing outgoing;
  private final Policy.Connection connection;
  private final Terminal terminal;
  private boolean proceeded;

  private RealChain(List<Policy> policies, int index, Outgoing outgoing, Policy.Connection connection,
      Terminal terminal) {
    this.policies = policies;
    this.index = index;
    this.outgoing = outgoing;
    this.connection = connection;
    this.terminal = terminal;
  }

  /** Runs the whole chain on a message. */
  public static Delivered run(List<Policy> policies, Outgoing outgoing, Policy.Connection connection,
      Terminal terminal) throws MessagingException {
    return new RealChain(policies, 0, outgoing, connection, terminal).proceed(outgoing);
  }

  @Override
  public Outgoing outgoing() {
    return outgoing;
  }

  @Override
  public Policy.Connection connection() {
    return connection;
  }

  @Override
  public Delivered proceed(Outgoing next) throws MessagingException {
    Objects.requireNonNull(next, "outgoing");
    if (proceeded) {
      throw new IllegalStateException("policy " + policies.get(index - 1).name()
          + " must call proceed() exactly once");
    }
    proceeded = true;
    if (index == policies.size()) {
      return terminal.deliver(next);
    }
    Policy policy = policies.get(index);
    Delivered result = policy.intercept(new RealChain(policies, index + 1, next, connection, terminal));
    if (result == null) {
      throw new IllegalStateException("policy " + policy.name() + " returned null");
    }
    return result;
  }
}
