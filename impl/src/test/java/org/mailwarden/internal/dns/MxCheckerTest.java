package org.mailwarden.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailwarden.internal.config.DnsSettings;
import org.mailwarden.internal.dns.DomainVerdict.Kind;
import org.mailwarden.testing.DnsServer;

/**
 * The MX checker against a real dnsmasq on loopback: one outcome per kind of answer, the time to
 * fail, caching and the coalescing of concurrent lookups.
 */
class MxCheckerTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final int RETRIES = 1;
  /** timeout * (retries + 1) plus a generous second for scheduling on a loaded machine. */
  private static final Duration FAIL_BOUND = TIMEOUT.multipliedBy(RETRIES + 1).plusSeconds(1);

  private static DnsServer dns;

  @BeforeAll
  static void startDns() throws Exception {
    dns = DnsServer.startTestZone();
  }

  @AfterAll
  static void stopDns() throws Exception {
    if (dns != null) {
      dns.close();
    }
  }

  private static MxChecker checker(Duration maxTtl, Duration negativeTtl) {
    return new MxChecker(new DnsSettings(List.of(new InetSocketAddress("127.0.0.1", dns.port())),
        TIMEOUT, RETRIES, maxTtl, negativeTtl, 1000, DnsSettings.OnFailure.SEND));
  }

  private static MxChecker checker() {
    return checker(Duration.ofHours(1), Duration.ofMinutes(5));
  }

  @Test
  void domainWithAnMxRecordIsMailCapable() {
    DomainVerdict v = checker().check("mx.mw.example").join();
    assertThat(v.kind()).isEqualTo(Kind.MAIL_CAPABLE);
    assertThat(v.detail()).contains("MX 10 mail.mw.example");
  }

  @Test
  void domainWhoseOnlyMxIsTheNullMxHasNoMailServer() {
    DomainVerdict v = checker().check("nullmx.mw.example").join();
    assertThat(v.kind()).isEqualTo(Kind.NULL_MX);
    assertThat(v.detail()).contains("null MX");
  }

  @Test
  void nullMxAmongOtherMxRecordsDoesNotHideTheUsableOnesInEitherOrder() {
    MxChecker checker = checker();
    assertThat(checker.check("mixed.mw.example").join().kind()).isEqualTo(Kind.MAIL_CAPABLE);
    assertThat(checker.check("mixed2.mw.example").join().kind()).isEqualTo(Kind.MAIL_CAPABLE);
  }

  @Test
  void domainWithOnlyAnARecordHasAnImplicitMx() {
    DomainVerdict v = checker().check("a.mw.example").join();
    assertThat(v.kind()).isEqualTo(Kind.MAIL_CAPABLE);
    assertThat(v.detail()).contains("implicit MX", " A ");
  }

  @Test
  void domainWithOnlyAnAaaaRecordHasAnImplicitMx() {
    DomainVerdict v = checker().check("aaaa.mw.example").join();
    assertThat(v.kind()).isEqualTo(Kind.MAIL_CAPABLE);
    assertThat(v.detail()).contains("implicit MX", "AAAA");
  }

  @Test
  void existingDomainWithoutMxAOrAaaaHasNoMailServer() {
    DomainVerdict v = checker().check("none.mw.example").join();
    assertThat(v.kind()).isEqualTo(Kind.NO_MAIL_SERVER);
    assertThat(v.detail()).contains("no MX, A or AAAA");
  }

  @Test
  void nxdomainIsNoSuchDomain() {
    DomainVerdict v = checker().check("nowhere.mw.example").join();
    assertThat(v.kind()).isEqualTo(Kind.NO_SUCH_DOMAIN);
    assertThat(v.detail()).contains("NXDOMAIN");
  }

  @Test
  void nameThatNeverAnswersFailsWithinTimeoutTimesTries() {
    long start = System.nanoTime();
    DomainVerdict v = checker().check("timeout.mw.example").join();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(v.kind()).isEqualTo(Kind.DNS_FAILURE);
    assertThat(v.detail()).contains("no answer within 1000 ms");
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
  void servfailIsADnsFailureAndIsNotWaitedFor() {
    long start = System.nanoTime();
    DomainVerdict v = checker().check("servfail.mw.example").join();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(v.kind()).isEqualTo(Kind.DNS_FAILURE);
    assertThat(v.detail()).contains("SERVFAIL");
    assertThat(took).isLessThan(FAIL_BOUND);
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
    long before = dns.queries("MX", "nullmx.mw.example");
    checker.check("nullmx.mw.example").join();
    checker.check("nullmx.mw.example").join();
    checker.check("nullmx.mw.example").join();
    assertThat(dns.queries("MX", "nullmx.mw.example") - before).isEqualTo(1);
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
    assertThat(dns.queries("MX", "burst.mw.example")).isEqualTo(1);
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
