package org.mailwarden.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mailwarden.testing.DnsServer.FAIL_BOUND;
import static org.mailwarden.testing.DnsServer.RETRIES;
import static org.mailwarden.testing.DnsServer.TIMEOUT;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.internal.config.DnsSettings;
import org.mailwarden.internal.dns.DomainVerdict.Kind;
import org.mailwarden.testing.DnsServer;
import org.mailwarden.testing.Running;

/**
 * The MX checker against a real dnsmasq on loopback: one outcome per kind of answer, the time to
 * fail, caching and the coalescing of concurrent lookups.
 */
class MxCheckerTest {
  @RegisterExtension
  static final Running<DnsServer> dns = Running.perClass(DnsServer::startTestZone);

  private static MxChecker checker(Duration maxTtl, Duration negativeTtl) {
    return new MxChecker(new DnsSettings(List.of(new InetSocketAddress("127.0.0.1", dns.get().port())),
        TIMEOUT, RETRIES, maxTtl, negativeTtl, 1000, DnsSettings.OnFailure.SEND));
  }

  private static MxChecker checker() {
    return checker(Duration.ofHours(1), Duration.ofMinutes(5));
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        arguments("mx.mw.example", Kind.MAIL_CAPABLE, List.of("MX 10 mail.mw.example")),
        arguments("nullmx.mw.example", Kind.NULL_MX, List.of("null MX")),
        arguments("a.mw.example", Kind.MAIL_CAPABLE, List.of("implicit MX", " A ")),
        arguments("aaaa.mw.example", Kind.MAIL_CAPABLE, List.of("implicit MX", "AAAA")),
        arguments("none.mw.example", Kind.NO_MAIL_SERVER, List.of("no MX, A or AAAA")),
        arguments("nowhere.mw.example", Kind.NO_SUCH_DOMAIN, List.of("NXDOMAIN")));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("answers")
  void eachKindOfAnswerGivesItsVerdictAndSaysWhy(String domain, Kind kind, List<String> detail) {
    DomainVerdict v = checker().check(domain).join();
    assertThat(v.kind()).isEqualTo(kind);
    assertThat(v.detail()).contains(detail);
  }

  @Test
  void nullMxAmongOtherMxRecordsDoesNotHideTheUsableOnesInEitherOrder() {
    MxChecker checker = checker();
    assertThat(checker.check("mixed.mw.example").join().kind()).isEqualTo(Kind.MAIL_CAPABLE);
    assertThat(checker.check("mixed2.mw.example").join().kind()).isEqualTo(Kind.MAIL_CAPABLE);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "timeout.mw.example|no answer within 1000 ms", // the name never answers: timeout * tries
      "servfail.mw.example|SERVFAIL"}) // an answer, not waited for
  void aFailedLookupIsADnsFailureWithinTimeoutTimesTries(String domain, String detail) {
    long start = System.nanoTime();
    DomainVerdict v = checker().check(domain).join();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(v.kind()).isEqualTo(Kind.DNS_FAILURE);
    assertThat(v.detail()).contains(detail);
    assertThat(took).isLessThan(FAIL_BOUND);
  }

  @Test
  void aServerThatNeverAnswersIsAskedRetriesPlusOneTimes() throws Exception {
    // dnsmasq folds a client's retries of one query into one log line, so count at the socket
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      AtomicInteger received = new AtomicInteger();
      Thread reader = new Thread(() -> {
        byte[] buffer = new byte[512];
        while (!silent.isClosed()) {
          try {
            silent.receive(new DatagramPacket(buffer, buffer.length));
            received.incrementAndGet();
          } catch (IOException e) {
            return;
          }
        }
      });
      reader.setDaemon(true);
      reader.start();
      MxChecker checker = new MxChecker(new DnsSettings(List.of((InetSocketAddress) silent.getLocalSocketAddress()),
          Duration.ofMillis(200), 2, Duration.ofHours(1), Duration.ofMinutes(5), 10, DnsSettings.OnFailure.SEND));
      long start = System.nanoTime();
      assertThat(checker.check("mx.mw.example").join().kind()).isEqualTo(Kind.DNS_FAILURE);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(600 + 1000));
      assertThat(received.get()).isEqualTo(3);
    }
  }

  @Test
  void positiveAnswersAreCachedForTheirTtlButAtMostMaxTtl() {
    // dnsmasq gives its local records a TTL of 60 s (--local-ttl=60)
    assertThat(checker(Duration.ofHours(1), Duration.ofMinutes(5)).check("mx.mw.example").join().ttl())
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(checker(Duration.ofSeconds(10), Duration.ofMinutes(5)).check("mx.mw.example").join().ttl())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(checker(Duration.ofSeconds(10), Duration.ofMinutes(5)).check("nullmx.mw.example").join().ttl())
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void negativeAnswersAreCachedForTheNegativeTtlAndFailuresBriefly() {
    MxChecker checker = checker(Duration.ofHours(1), Duration.ofSeconds(42));
    assertThat(checker.check("nowhere.mw.example").join().ttl()).isEqualTo(Duration.ofSeconds(42));
    assertThat(checker.check("none.mw.example").join().ttl()).isEqualTo(Duration.ofSeconds(42));
    assertThat(checker.check("servfail.mw.example").join().ttl()).isEqualTo(MxChecker.FAILURE_TTL);
    assertThat(checker(Duration.ofHours(1), Duration.ofSeconds(1)).check("servfail.mw.example").join().ttl())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aCachedVerdictIsAnsweredWithoutAskingDnsAgain() throws Exception {
    MxChecker checker = checker();
    long before = dns.get().queries("MX", "nullmx.mw.example");
    checker.check("nullmx.mw.example").join();
    checker.check("nullmx.mw.example").join();
    checker.check("nullmx.mw.example").join();
    assertThat(dns.get().queries("MX", "nullmx.mw.example") - before).isEqualTo(1);
    assertThat(checker.stats().lookups()).isEqualTo(1);
    assertThat(checker.stats().cacheHits()).isEqualTo(2);
    assertThat(checker.stats().failures()).isZero();
  }

  @Test
  void aBurstOfAThousandChecksOfOneNewDomainFromEightThreadsMakesOneLookup() throws Exception {
    MxChecker checker = checker();
    int threads = 8;
    int checks = 1000;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Kind>> tasks = new ArrayList<>();
      for (int i = 0; i < checks; i++) {
        tasks.add(() -> {
          go.await();
          return checker.check("burst.mw.example").join().kind();
        });
      }
      List<Future<Kind>> results = new ArrayList<>();
      for (Callable<Kind> task : tasks) {
        results.add(pool.submit(task));
      }
      go.countDown();
      for (Future<Kind> r : results) {
        assertThat(r.get()).isEqualTo(Kind.MAIL_CAPABLE);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(dns.get().queries("MX", "burst.mw.example")).isEqualTo(1);
    assertThat(checker.stats().lookups()).isEqualTo(1);
    assertThat(checker.stats().cacheHits()).isEqualTo(checks - 1);
  }

  @Test
  void failuresAreCounted() {
    MxChecker checker = checker();
    checker.check("servfail.mw.example").join();
    checker.check("mx.mw.example").join();
    assertThat(checker.stats().lookups()).isEqualTo(2);
    assertThat(checker.stats().failures()).isEqualTo(1);
  }
}
