package org.mailwarden;

import java.util.Locale;

/**
 * Whether Mailwarden refuses what its policies refuse ({@code mode}). The default is
 * {@link #ENFORCE}.
 */
public enum EnforcementMode {
  /** A message a policy refuses is not sent (the default). */
  ENFORCE,
  /**
   * Every policy decides as usual, but a message that would be refused is sent anyway and the refusal
   * is reported ({@link SendReport#wouldRefuse()}, {@link MailwardenListener#wouldRefuse}). Header and
   * address injection (a CR or LF where it does not belong) and the {@code dsn.*} rules are enforced
   * all the same.
   */
  REPORT_ONLY;

  /** Returns the value as it is written in the configuration, such as {@code report-only}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
