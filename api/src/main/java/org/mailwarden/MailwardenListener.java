package org.mailwarden;

import jakarta.mail.MessagingException;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.suppression.Reputation;

/**
 * Observes what Mailwarden does with each message. Every method has a no-op default, so a listener
 * implements only what it needs.
 *
 * <p>Listeners are called on the sending thread, after the outcome is known; they must be fast and
 * must not throw (an exception from a listener is logged and ignored). Register one with
 * {@link Mailwarden.Builder#listener(MailwardenListener)}, or put the object into the session
 * properties under {@code mail.mailwarden.listener}.
 */
public interface MailwardenListener {
  /** A listener that does nothing. */
  MailwardenListener NONE = new MailwardenListener() {};

  /** The server accepted the message for some or all recipients; see {@link SendReport#isComplete()}. */
  default void sent(SendReport report) {}

  /** A policy refused the message, or part of it; nothing was sent unless the exception says so. */
  default void refused(SendReport report, SendRefusedException refusal) {}

  /**
   * In {@code mode=report-only}, a policy would have refused the message but it was sent anyway;
   * called once per such refusal, before {@link #sent} or {@link #failed} reports the delivery.
   *
   * @param report the report of the send (its {@link SendReport#wouldRefuse()} lists every refusal)
   * @param refusal what would have refused the message, and why
   */
  default void wouldRefuse(SendReport report, WouldBeRefusal refusal) {}

  /** Delivery failed at the server or on the network. */
  default void failed(SendReport report, MessagingException failure) {}

  /**
   * A bounce, complaint or auto-reply was recorded for a message sent through Mailwarden: its ENVID
   * (or, failing that, its Message-ID) matched a recent send of the same application. Called on the
   * thread that recorded the bounce, for the listeners of the sending session and of the session
   * the bounce was recorded through.
   *
   * @param original the report of the original send (application, ENVID, Message-ID, recipients)
   * @param bounce what the bounce says about one recipient
   */
  default void bounced(SendReport original, BouncedRecipient bounce) {}

  /**
   * The reputation guard's verdict changed (to {@code warning}, {@code paused} or back to {@code ok}).
   *
   * @param reputation the figures that led to the new state
   */
  default void reputationChanged(Reputation reputation) {}

  /**
   * The transport connected to a server and read its EHLO reply. Called once per connection, before
   * any message is sent on it.
   *
   * @param app the application name ({@code app})
   * @param server the server as {@code host:port}
   * @param dsnSupported whether the server advertises DSN (RFC 3461); when it does not, NOTIFY, RET
   *     and ENVID are not sent (or, with {@code dsn.require=true}, every message is refused)
   */
  default void connected(String app, String server, boolean dsnSupported) {}
}
