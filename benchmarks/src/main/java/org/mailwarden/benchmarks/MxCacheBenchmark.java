package org.mailwarden.benchmarks;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.chain.RealChain;
import org.mailwarden.internal.config.DnsSettings;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;
import org.mailwarden.internal.dns.MxChecker;
import org.mailwarden.internal.policy.MxPolicy;
import org.mailwarden.testing.DnsServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a cached {@code recipients.check-mx} decision: the domain was looked up once in a real
 * dnsmasq on loopback (started here, Debian package {@code dnsmasq-base}); every call after that is
 * answered from the cache. {@code SampleTime} reports the median the target (under 1 us) is stated in.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MxCacheBenchmark {
  private DnsServer dns;
  private MxChecker checker;
  private List<Policy> chain;
  private Outgoing outgoing;
  private Policy.Connection connection;
  private RealChain.Terminal terminal;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dns = DnsServer.start("mw.example", List.of("--mx-host=mx.mw.example,mail.mw.example,10"),
        List.of(), List.of());
    checker = new MxChecker(new DnsSettings(List.of(new InetSocketAddress("127.0.0.1", dns.port())),
        Duration.ofSeconds(2), 1, Duration.ofHours(1), Duration.ofMinutes(5), 10_000,
        DnsSettings.OnFailure.SEND));
    checker.check("mx.mw.example").join(); // the one lookup
    chain = List.of(new MxPolicy(checker, OnInvalid.REJECT_MESSAGE, System::nanoTime));
    MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
    outgoing = Outgoing.of(message, "s@example.com", List.of(new InternetAddress("j@mx.mw.example")));
    connection = new Policy.Connection() {
      @Override
      public String server() {
        return "bench:25";
      }

      @Override
      public boolean supportsExtension(String extension) {
        return true;
      }
    };
    Delivered done = new Delivered(outgoing, List.of(), List.of(), List.of());
    terminal = o -> done;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    dns.close();
  }

  /** The checker alone: a cache hit. */
  @Benchmark
  public Object cachedCheck() {
    return checker.check("mx.mw.example").join();
  }

  /** The whole {@code MxPolicy} link for a one-recipient message, through the chain. */
  @Benchmark
  public Object cachedPolicyOneRecipient() throws Exception {
    return RealChain.run(chain, outgoing, connection, terminal);
  }

  /** The checker alone under contention. */
  @Benchmark
  @Threads(4)
  public Object cachedCheckFourThreads() {
    return checker.check("mx.mw.example").join();
  }
}
