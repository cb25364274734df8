package org.mailwarden.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendReport;
import org.mailwarden.suppression.Reputation;

class CompositeListenerTest {
  private static final SendReport REPORT =
      new SendReport("app", null, null, null, List.of(), List.of(), List.of(), List.of());

  private final List<String> calls = new ArrayList<>();

  private MailwardenListener named(String name) {
    return new MailwardenListener() {
      @Override
      public void sent(SendReport report) {
        calls.add(name + " sent");
      }

      @Override
      public void reputationChanged(Reputation reputation) {
        calls.add(name + " reputation");
      }
    };
  }

  private final MailwardenListener throwing = new MailwardenListener() {
    @Override
    public void sent(SendReport report) {
      calls.add("throwing sent");
      throw new IllegalStateException("boom");
    }
  };

  @Test
  void everyMemberIsCalledInOrder() {
    CompositeListener.of(List.of(named("a"), named("b"), named("c"))).sent(REPORT);
    assertThat(calls).containsExactly("a sent", "b sent", "c sent");
  }

  @Test
  void aMemberThatThrowsDoesNotStopTheOthers() {
    CompositeListener.of(List.of(named("a"), throwing, named("b"))).sent(REPORT);
    assertThat(calls).containsExactly("a sent", "throwing sent", "b sent");
  }

  @Test
  void aListenerGivenTwiceIsCalledOnce() {
    MailwardenListener a = named("a");
    CompositeListener.of(List.of(a, named("b"), a)).sent(REPORT);
    assertThat(calls).containsExactly("a sent", "b sent");
  }

  @Test
  void aUnionOfTwoCompositesCallsEachSharedMemberOnce() {
    MailwardenListener shared = named("shared");
    CompositeListener sending = CompositeListener.of(List.of(shared, named("sender")));
    CompositeListener recording = CompositeListener.of(List.of(named("recorder"), shared));

    CompositeListener.union(sending, recording).sent(REPORT);

    assertThat(calls).containsExactly("shared sent", "sender sent", "recorder sent");
  }

  @Test
  void engineEventsGoOnlyToEngineListeners() {
    EngineListener engine = new EngineListener() {
      @Override
      public void retrying(String app, String server, MessagingException failure) {
        calls.add("engine retrying " + server);
      }

      @Override
      public void failedUnchecked(SendReport report, RuntimeException failure) {
        calls.add("engine unchecked " + failure.getMessage());
      }
    };
    CompositeListener composite = CompositeListener.of(List.of(named("a"), engine));

    composite.retrying("app", "host:25", new MessagingException("lost"));
    composite.failedUnchecked(REPORT, new IllegalStateException("bug"));

    assertThat(calls).containsExactly("engine retrying host:25", "engine unchecked bug");
  }

  @Test
  void anEmptyCompositeDoesNothing() {
    CompositeListener none = CompositeListener.of(List.of());
    none.sent(REPORT);
    assertThat(none.members()).isEmpty();
    assertThat(calls).isEmpty();
  }
}
