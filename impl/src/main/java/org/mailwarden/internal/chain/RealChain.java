package org.mailwarden.internal.chain;

import jakarta.mail.MessagingException;
import java.util.List;

/**
 * The chain as a cursor over the policy list: {@link #proceed(Outgoing)} runs the next policy, and
 * after the last one the terminal {@link Terminal} delivers. The chain checks each policy's contract
 * and names the policy that broke it, with an {@link IllegalStateException}: a policy calls
 * {@code proceed} at most once, with a message, and returns what it returned (never null, never a
 * result of its own without proceeding). What delivery throws reaches the policies wrapped in a
 * {@link DeliveryFailedException}, which carries the message as it reached delivery.
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

  /**
   * Runs the whole chain on a message.
   *
   * @return the delivery result, as the first policy returned it
   * @throws DeliveryFailedException when delivery failed (and no policy turned it into another failure)
   * @throws MessagingException a policy's refusal, or another failure a policy threw
   * @throws IllegalStateException when a policy broke the chain's contract; the message names it
   */
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
    if (proceeded) {
      throw broken(index - 1, "must call proceed() at most once");
    }
    proceeded = true;
    if (next == null) {
      throw broken(index - 1, "called proceed() with no message");
    }
    if (index == policies.size()) {
      return deliver(next);
    }
    Policy policy = policies.get(index);
    RealChain rest = new RealChain(policies, index + 1, next, connection, terminal);
    Delivered result = policy.intercept(rest);
    if (result == null) {
      throw broken(index, "returned null");
    }
    if (!rest.proceeded) {
      throw broken(index, "returned a result without calling proceed()");
    }
    return result;
  }

  private Delivered deliver(Outgoing next) throws MessagingException {
    try {
      return terminal.deliver(next);
    } catch (MessagingException | RuntimeException failure) {
      throw new DeliveryFailedException(next, failure);
    }
  }

  /** The failure of a policy that broke the contract, naming it and its class. */
  private IllegalStateException broken(int policyIndex, String what) {
    if (policyIndex < 0) {
      return new IllegalStateException("the chain was run twice"); // run() is the only caller at -1
    }
    Policy policy = policies.get(policyIndex);
    return new IllegalStateException("policy " + policy.name() + " (" + policy.getClass().getName() + ") "
        + what);
  }
}
