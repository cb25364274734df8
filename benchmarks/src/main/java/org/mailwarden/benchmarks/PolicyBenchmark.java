package org.mailwarden.benchmarks;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mailwarden.internal.Engine;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.chain.RealChain;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each policy of the default chain alone, on the one-recipient message of {@link DecisionPathBenchmark}
 * (with its delivery that delivers nothing): where the whole chain's time goes. The policies' times
 * add up to a little more than the chain's, as each run here pays the chain's own steps once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class PolicyBenchmark {
  @Param({"reputation", "headers", "sender", "recipients", "suppression", "recipients-per-message", "dsn",
      "quota", "none"})
  public String policy;

  private List<Policy> chain;
  private Outgoing one;

  @Setup
  public void setUp() throws MessagingException {
    Session session = Session.getInstance(DecisionPathBenchmark.properties("bench-policy"));
    List<Policy> all = Engine.of(session).policies();
    chain = all.stream().filter(p -> p.name().equals(policy)).toList();
    if (chain.isEmpty() && !policy.equals("none")) {
      throw new IllegalStateException(
          "no policy " + policy + " in " + all.stream().map(Policy::name).toList());
    }
    one = DecisionPathBenchmark.outgoing(session, 1);
  }

  @Benchmark
  public Delivered alone() throws MessagingException {
    return RealChain.run(chain, one, DecisionPathBenchmark.CONNECTION, DecisionPathBenchmark.NO_OP);
  }
}
