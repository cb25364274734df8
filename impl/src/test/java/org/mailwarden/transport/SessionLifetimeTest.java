package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Session;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mailwarden.internal.Engine;
import org.mailwarden.testing.Mails;

/**
 * Regression: the engine cache holds sessions weakly, but the delegate's authenticator used to hold
 * the application's session strongly, so an application that makes a session per send leaked one
 * engine (configuration, policies, pool) per session.
 */
class SessionLifetimeTest {
  @Test
  void aDiscardedSessionAndItsEngineCanBeCollected() {
    WeakReference<Session> session = useAndDrop();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      System.gc();
      byte[][] pressure = new byte[64][];
      for (int i = 0; i < pressure.length; i++) {
        pressure[i] = new byte[64 * 1024];
      }
      return session.get() == null && pressure.length > 0;
    });
    assertThat(session.get()).isNull();
  }

  private static WeakReference<Session> useAndDrop() {
    Properties p = Mails.properties(25);
    p.put("mail.mailwarden.suppression.store", "memory");
    Session s = Session.getInstance(p);
    assertThat(Engine.of(s).config().app()).startsWith("test-");
    return new WeakReference<>(s);
  }
}
