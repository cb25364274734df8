package org.mailwarden;

/**
 * A NOTIFY keyword of RFC 3461: when the receiving servers send a delivery status notification
 * for a recipient ({@code dsn.notify}). The default is {@link #FAILURE} alone.
 *
 * <p>{@link #NEVER} cannot be combined with the others; {@link #SUCCESS} is refused unless
 * {@code dsn.allow-success=true}, because receipts reveal the internal delivery path.
 */
public enum DsnNotify {
  /** Never send a notification. */
  NEVER,
  /** Send a receipt when the message is delivered; needs {@code dsn.allow-success=true}. */
  SUCCESS,
  /** Send a bounce when delivery fails (the default). */
  FAILURE,
  /** Report that delivery is delayed. */
  DELAY;

  /** Returns the keyword as it is written in the configuration and on the wire, such as {@code FAILURE}. */
  @Override
  public String toString() {
    return name();
  }
}
