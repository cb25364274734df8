package org.mailwarden.testing;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test server (smtp-sink, dnsmasq, ...) that JUnit starts and closes, so a test class declares it in
 * one line instead of a field and a pair of set-up and tear-down methods:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Running<DnsServer> dns = Running.perClass(DnsServer::startTestZone);
 *
 * @RegisterExtension
 * final Running<SmtpSink> sink = Running.perTest(SmtpSink::start);
 * }</pre>
 *
 * <p>A per-class server must be registered on a static field (JUnit calls class callbacks only
 * there); a per-test server is started before and closed after each test.
 *
 * @param <T> the server
 */
public final class Running<T extends AutoCloseable>
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  /** Starts a server. */
  @FunctionalInterface
  public interface Start<T> {
    T start() throws Exception;
  }

  private final Start<T> start;
  private final boolean perClass;
  private T server;

  private Running(Start<T> start, boolean perClass) {
    this.start = Objects.requireNonNull(start, "start");
    this.perClass = perClass;
  }

  /** Returns a server started once before the first test of the class and closed after the last. */
  public static <T extends AutoCloseable> Running<T> perClass(Start<T> start) {
    return new Running<>(start, true);
  }

  /** Returns a server started before each test and closed after it. */
  public static <T extends AutoCloseable> Running<T> perTest(Start<T> start) {
    return new Running<>(start, false);
  }

  /**
   * Returns the running server.
   *
   * @throws IllegalStateException outside a test, or when a per-class server is not on a static field
   */
  public T get() {
    if (server == null) {
      throw new IllegalStateException(perClass
          ? "not running: register a per-class server on a static @RegisterExtension field"
          : "not running: a per-test server runs only during a test");
    }
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (perClass) {
      server = start.start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (perClass) {
      close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      server = start.start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      close();
    }
  }

  private void close() throws Exception {
    T s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }
}
