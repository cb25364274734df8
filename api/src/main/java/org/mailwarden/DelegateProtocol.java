package org.mailwarden;

import java.util.Locale;

/**
 * The Jakarta Mail transport underneath Mailwarden that talks to the server ({@code delegate}). It
 * is configured by the usual {@code mail.smtp.*} or {@code mail.smtps.*} keys. The default is
 * {@link #SMTP}.
 */
public enum DelegateProtocol {
  /** Angus Mail's SMTP transport: port 25 or 587, STARTTLS as configured (the default). */
  SMTP,
  /** Angus Mail's SMTP transport over TLS from the first byte: port 465. */
  SMTPS;

  /** Returns the Jakarta Mail protocol name, such as {@code smtp}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
