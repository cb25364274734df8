package org.mailwarden.internal.event;

import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.mailwarden.MailwardenListener;
import org.mailwarden.SendRefusedException;
import org.mailwarden.SendReport;
import org.mailwarden.WouldBeRefusal;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.suppression.Reputation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several listeners as one, built once per engine: each event goes to every member in order, and a
 * member that throws is logged and skipped, so it neither stops the others nor changes the send.
 * The {@link EngineListener} events go to the members that implement it. Immutable and thread-safe
 * (as far as its members are).
 */
public final class CompositeListener implements EngineListener {
  private static final Logger log = LoggerFactory.getLogger(CompositeListener.class);

  private final List<MailwardenListener> members;

  private CompositeListener(List<MailwardenListener> members) {
    this.members = members;
  }

  /**
   * Returns the listeners as one, in order; a listener given twice (the same object) is called once.
   * Composites among them are flattened.
   */
  public static CompositeListener of(List<? extends MailwardenListener> listeners) {
    Objects.requireNonNull(listeners, "listeners");
    Set<MailwardenListener> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<MailwardenListener> members = new ArrayList<>(listeners.size());
    for (MailwardenListener l : listeners) {
      Objects.requireNonNull(l, "listener");
      List<MailwardenListener> parts = l instanceof CompositeListener c ? c.members : List.of(l);
      for (MailwardenListener part : parts) {
        if (seen.add(part)) {
          members.add(part);
        }
      }
    }
    return new CompositeListener(List.copyOf(members));
  }

  /** Returns the members of both, in order, each listener once (for an event two sessions observe). */
  public static CompositeListener union(MailwardenListener first, MailwardenListener second) {
    return of(List.of(first, second));
  }

  /** Returns the members, in the order they are called. */
  public List<MailwardenListener> members() {
    return members;
  }

  @Override
  public void sent(SendReport report) {
    each(l -> l.sent(report));
  }

  @Override
  public void refused(SendReport report, SendRefusedException refusal) {
    each(l -> l.refused(report, refusal));
  }

  @Override
  public void wouldRefuse(SendReport report, WouldBeRefusal refusal) {
    each(l -> l.wouldRefuse(report, refusal));
  }

  @Override
  public void failed(SendReport report, MessagingException failure) {
    each(l -> l.failed(report, failure));
  }

  @Override
  public void bounced(SendReport original, BouncedRecipient bounce) {
    each(l -> l.bounced(original, bounce));
  }

  @Override
  public void reputationChanged(Reputation reputation) {
    each(l -> l.reputationChanged(reputation));
  }

  @Override
  public void connected(String app, String server, boolean dsnSupported) {
    each(l -> l.connected(app, server, dsnSupported));
  }

  @Override
  public void failedUnchecked(SendReport report, RuntimeException failure) {
    eachEngineListener(l -> l.failedUnchecked(report, failure));
  }

  @Override
  public void retrying(String app, String server, MessagingException failure) {
    eachEngineListener(l -> l.retrying(app, server, failure));
  }

  private void each(Consumer<MailwardenListener> event) {
    for (int i = 0; i < members.size(); i++) { // no iterator: this runs on every send
      MailwardenListener l = members.get(i);
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("A MailwardenListener threw; ignored", e);
      }
    }
  }

  private void eachEngineListener(Consumer<EngineListener> event) {
    each(l -> {
      if (l instanceof EngineListener e) {
        event.accept(e);
      }
    });
  }

  @Override
  public String toString() {
    return "CompositeListener" + members;
  }
}
