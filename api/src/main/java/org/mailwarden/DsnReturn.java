package org.mailwarden;

/**
 * The RET parameter of RFC 3461: how much of the message a bounce carries back ({@code dsn.ret}).
 * The default is {@link #HDRS}.
 */
public enum DsnReturn {
  /** Bounces carry the headers only (the default). */
  HDRS,
  /**
   * Bounces carry the whole message, which can send malware back out under the sender's name;
   * refused unless {@code dsn.allow-full=true}.
   */
  FULL;

  /** Returns the keyword as it is written in the configuration and on the wire, such as {@code HDRS}. */
  @Override
  public String toString() {
    return name();
  }
}
