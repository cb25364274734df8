package org.mailwarden.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailwarden.internal.Environment;
import org.mailwarden.internal.config.PoolSettings;
import org.mailwarden.internal.smtp.DsnSmtpTransport;
import org.mailwarden.testing.SmtpSink;

/** The pool on its own, with a fake clock, against a real smtp-sink. */
class ConnectionPoolTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private SmtpSink sink;
  private ConnectionPool pool;

  @BeforeEach
  void start() throws Exception {
    sink = SmtpSink.start("-v");
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(sink.port()));
    p.put("mail.smtp.timeout", "5000");
    Session session = Session.getInstance(p);
    pool = new ConnectionPool(new PoolSettings(true, 2, 100, Duration.ofSeconds(30), Duration.ofSeconds(1)),
        () -> new DsnSmtpTransport(session, new URLName("smtp", null, -1, null, null, null), "smtp", false),
        now::get, Environment.system()::reaper);
  }

  @AfterEach
  void stop() throws Exception {
    pool.closeIdle();
    sink.close();
  }

  private void advance(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void aConnectionUsedAMomentAgoIsReusedWithoutARoundTrip() throws Exception {
    ConnectionPool.Connection c = pool.borrow(null, -1, null, null);
    pool.release(c, true);
    advance(500);
    assertThat(pool.borrow(null, -1, null, null)).isSameAs(c);
    assertThat(sink.commands("NOOP")).isZero();
    assertThat(sink.sessions()).isEqualTo(1);
  }

  @Test
  void aConnectionIdleForMoreThanASecondIsCheckedWithNoopBeforeReuse() throws Exception {
    ConnectionPool.Connection c = pool.borrow(null, -1, null, null);
    pool.release(c, true);
    advance(2_000);
    assertThat(pool.borrow(null, -1, null, null)).isSameAs(c);
    assertThat(sink.commands("NOOP")).isEqualTo(1);
    assertThat(sink.sessions()).isEqualTo(1);
  }

  @Test
  void aBrokenIdleConnectionIsDiscardedAndReplaced() throws Exception {
    ConnectionPool.Connection c = pool.borrow(null, -1, null, null);
    pool.release(c, true);
    sink.restart();
    advance(2_000);
    ConnectionPool.Connection replacement = pool.borrow(null, -1, null, null);
    assertThat(replacement).isNotSameAs(c);
    assertThat(replacement.transport().isConnected()).isTrue();
    assertThat(c.transport().isOpen()).isFalse();
    assertThat(sink.sessions()).isEqualTo(2);
  }

  @Test
  void aConnectionIdleLongerThanTheIdleTimeoutIsClosedNotReused() throws Exception {
    ConnectionPool.Connection c = pool.borrow(null, -1, null, null);
    pool.release(c, true);
    advance(30_000);
    ConnectionPool.Connection next = pool.borrow(null, -1, null, null);
    assertThat(next).isNotSameAs(c);
    assertThat(c.transport().isOpen()).isFalse();
    assertThat(sink.commands("NOOP")).as("an expired connection is not even checked").isZero();
    assertThat(sink.sessions()).isEqualTo(2);
  }

  @Test
  void theReaperClosesConnectionsPastTheIdleTimeout() throws Exception {
    ConnectionPool.Connection young = pool.borrow(null, -1, null, null);
    ConnectionPool.Connection old = pool.borrow(null, -1, null, null);
    pool.release(old, true);
    advance(20_000);
    pool.release(young, true);
    advance(15_000);
    pool.reap();
    assertThat(old.transport().isOpen()).isFalse();
    assertThat(young.transport().isOpen()).isTrue();
  }

  @Test
  void connectionsAreNeverSharedBetweenCredentials() throws Exception {
    // the key is what connect() was given; smtp-sink without AUTH (-a) lets Angus skip the login
    sink.close();
    sink = SmtpSink.start("-v", "-a");
    Properties p = new Properties();
    p.put("mail.smtp.port", Integer.toString(sink.port()));
    Session session = Session.getInstance(p);
    pool = new ConnectionPool(PoolSettings.defaults(),
        () -> new DsnSmtpTransport(session, new URLName("smtp", null, -1, null, null, null), "smtp", false),
        now::get, Environment.system()::reaper);
    ConnectionPool.Connection alice = pool.borrow("127.0.0.1", -1, "alice", "a-secret");
    pool.release(alice, true);
    ConnectionPool.Connection bob = pool.borrow("127.0.0.1", -1, "bob", "b-secret");
    assertThat(bob).isNotSameAs(alice);
    pool.release(bob, true);
    assertThat(pool.borrow("127.0.0.1", -1, "alice", "other-password")).isNotSameAs(alice);
    assertThat(pool.borrow("127.0.0.1", -1, "alice", "a-secret")).isSameAs(alice);
    assertThat(sink.sessions()).isEqualTo(3);
  }

  @Test
  void aConnectionReleasedAsFailedIsClosed() throws Exception {
    ConnectionPool.Connection c = pool.borrow(null, -1, null, null);
    pool.release(c, false);
    assertThat(c.transport().isOpen()).isFalse();
    assertThat(pool.borrow(null, -1, null, null)).isNotSameAs(c);
  }
}
