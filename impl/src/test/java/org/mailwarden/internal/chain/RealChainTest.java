package org.mailwarden.internal.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RealChainTest {
  private static final Policy.Connection CONNECTION = new Policy.Connection() {
    @Override
    public String server() {
      return "test:25";
    }

    @Override
    public boolean supportsExtension(String extension) {
      return false;
    }
  };

  private static Outgoing outgoing() throws Exception {
    return Outgoing.of(new MimeMessage(Session.getInstance(new Properties())), null,
        List.of(new InternetAddress("a@example.com"), new InternetAddress("b@example.com")));
  }

  @FunctionalInterface
  interface Body {
    Delivered intercept(Policy.Chain chain) throws jakarta.mail.MessagingException;
  }

  private static Policy policy(String name, Body body) {
    return new Policy() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Delivered intercept(Chain chain) throws jakarta.mail.MessagingException {
        return body.intercept(chain);
      }
    };
  }

  @Test
  void policiesRunInOrderAndTheTerminalSeesTheirChanges() throws Exception {
    List<String> order = new ArrayList<>();
    Policy first = policy("first", c -> {
      order.add("first");
      return c.proceed(c.outgoing().dropping(c.outgoing().recipients().subList(0, 1), List.of()));
    });
    Policy second = policy("second", c -> {
      order.add("second");
      return c.proceed(c.outgoing().withDsn(new DsnRequest("HDRS", null, "FAILURE", false)));
    });

    Delivered d = RealChain.run(List.of(first, second), outgoing(), CONNECTION, o -> {
      order.add("deliver");
      return new Delivered(o, o.recipients(), List.of(), List.of());
    });

    assertThat(order).containsExactly("first", "second", "deliver");
    assertThat(d.accepted()).extracting(Object::toString).containsExactly("a@example.com");
    assertThat(d.outgoing().dsn().ret()).isEqualTo("HDRS");
  }

  @Test
  void eachPolicySeesTheMessageAsItReachedItAfterTheRestOfTheChainHasRun() throws Exception {
    List<Integer> seen = new ArrayList<>();
    Policy first = policy("first", c -> {
      Delivered d = c.proceed(c.outgoing().dropping(c.outgoing().recipients().subList(0, 1), List.of()));
      seen.add(c.outgoing().recipients().size()); // the two it was given, not the one it passed on
      return d;
    });
    Policy second = policy("second", c -> {
      Delivered d = c.proceed(c.outgoing().withDsn(new DsnRequest("HDRS", null, "FAILURE", false)));
      seen.add(c.outgoing().recipients().size());
      assertThat(c.outgoing().dsn()).isSameAs(DsnRequest.NONE);
      return d;
    });

    RealChain.run(List.of(first, second), outgoing(), CONNECTION,
        o -> new Delivered(o, o.recipients(), List.of(), List.of()));

    assertThat(seen).containsExactly(1, 2);
  }

  @Test
  void policyCannotProceedAgainAfterTheRestOfTheChainFailed() {
    List<String> attempts = new ArrayList<>();
    Policy retrying = policy("retrying", c -> {
      try {
        return c.proceed(c.outgoing());
      } catch (jakarta.mail.MessagingException e) {
        return c.proceed(c.outgoing());
      }
    });
    Policy failing = policy("failing", c -> {
      attempts.add("failing");
      throw new jakarta.mail.MessagingException("server gone");
    });
    assertThatThrownBy(() -> RealChain.run(List.of(retrying, failing), outgoing(), CONNECTION,
        o -> new Delivered(o, o.recipients(), List.of(), List.of())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("policy retrying")
        .hasMessageContaining("at most once");
    assertThat(attempts).containsExactly("failing");
  }

  @Test
  void policyCannotProceedTwice() {
    Policy twice = policy("twice", c -> {
      c.proceed(c.outgoing());
      return c.proceed(c.outgoing());
    });
    assertThatThrownBy(() -> RealChain.run(List.of(twice), outgoing(), CONNECTION,
        o -> new Delivered(o, o.recipients(), List.of(), List.of())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("policy twice")
        .hasMessageContaining("must call proceed() at most once");
  }

  @Test
  void policyCannotReturnNull() {
    Policy broken = policy("broken", c -> {
      c.proceed(c.outgoing());
      return null;
    });
    assertThatThrownBy(() -> RealChain.run(List.of(broken), outgoing(), CONNECTION,
        o -> new Delivered(o, o.recipients(), List.of(), List.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("policy broken (" + broken.getClass().getName() + ") returned null");
  }

  @Test
  void policyCannotReturnAResultWithoutProceeding() throws Exception {
    Outgoing outgoing = outgoing();
    List<String> delivered = new ArrayList<>();
    Policy shortCut = policy("short-cut", c -> new Delivered(c.outgoing(), c.outgoing().recipients(),
        List.of(), List.of()));
    assertThatThrownBy(() -> RealChain.run(List.of(shortCut), outgoing, CONNECTION, o -> {
      delivered.add("x");
      return new Delivered(o, o.recipients(), List.of(), List.of());
    })).isInstanceOf(IllegalStateException.class)
        .hasMessage("policy short-cut (" + shortCut.getClass().getName()
            + ") returned a result without calling proceed()");
    assertThat(delivered).isEmpty();
  }

  @Test
  void policyCannotProceedWithoutAMessage() {
    Policy empty = policy("empty", c -> c.proceed(null));
    assertThatThrownBy(() -> RealChain.run(List.of(empty), outgoing(), CONNECTION,
        o -> new Delivered(o, o.recipients(), List.of(), List.of())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("policy empty")
        .hasMessageContaining("called proceed() with no message");
  }

  @Test
  void brokenContractNamesThePolicyThatBrokeItNotTheOthers() {
    Policy fine = policy("fine", c -> c.proceed(c.outgoing()));
    Policy twice = policy("twice", c -> {
      c.proceed(c.outgoing());
      return c.proceed(c.outgoing());
    });
    assertThatThrownBy(() -> RealChain.run(List.of(fine, twice, fine), outgoing(), CONNECTION,
        o -> new Delivered(o, o.recipients(), List.of(), List.of())))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("policy twice (")
        .hasMessageNotContaining("fine");
  }

  @Test
  void deliveryFailureCarriesTheMessageAsItReachedDelivery() throws Exception {
    Outgoing original = outgoing();
    DsnRequest dsn = new DsnRequest("HDRS", "E1", "FAILURE", false);
    Policy dropping = policy("dropping", c -> c.proceed(c.outgoing().dropping(c.outgoing().recipients().subList(0, 1),
        List.of(new org.mailwarden.RejectedRecipient(c.outgoing().recipients().get(1),
            org.mailwarden.RecipientReason.DENIED_DOMAIN, "denied")))));
    Policy dsnPolicy = policy("dsn", c -> c.proceed(c.outgoing().withDsn(dsn)));
    jakarta.mail.SendFailedException serverFailure = new jakarta.mail.SendFailedException("550 no");

    assertThatThrownBy(() -> RealChain.run(List.of(dropping, dsnPolicy), original, CONNECTION, o -> {
      throw serverFailure;
    })).isInstanceOfSatisfying(DeliveryFailedException.class, failed -> {
      assertThat(failed.failure()).isSameAs(serverFailure);
      assertThat(failed.getCause()).isSameAs(serverFailure);
      assertThat(failed.outgoing().recipients()).extracting(Object::toString).containsExactly("a@example.com");
      assertThat(failed.outgoing().dropped()).hasSize(1);
      assertThat(failed.outgoing().dsn()).isSameAs(dsn);
    });
  }

  @Test
  void eachPolicySeesADeliveryFailureAsTheSameException() throws Exception {
    List<Exception> seen = new ArrayList<>();
    Policy observing = policy("observing", c -> {
      try {
        return c.proceed(c.outgoing());
      } catch (DeliveryFailedException e) {
        seen.add(e);
        throw e;
      }
    });
    IllegalStateException unchecked = new IllegalStateException("connection state");
    assertThatThrownBy(() -> RealChain.run(List.of(observing, observing), outgoing(), CONNECTION, o -> {
      throw unchecked;
    })).isInstanceOfSatisfying(DeliveryFailedException.class,
        failed -> assertThat(failed.failure()).isSameAs(unchecked));
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isSameAs(seen.get(1));
  }

  @Test
  void policyThatRefusesStopsTheChainBeforeDelivery() {
    List<String> delivered = new ArrayList<>();
    Policy refuse = policy("refuse", c -> {
      throw new org.mailwarden.SendRefusedException(org.mailwarden.RefusalReason.NO_RECIPIENTS, "no",
          c.outgoing().recipientArray());
    });
    assertThatThrownBy(() -> RealChain.run(List.of(refuse), outgoing(), CONNECTION, o -> {
      delivered.add("x");
      return new Delivered(o, o.recipients(), List.of(), List.of());
    })).isInstanceOf(org.mailwarden.SendRefusedException.class);
    assertThat(delivered).isEmpty();
  }
}
