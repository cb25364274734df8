package org.mailwarden.internal.chain;

/**
 * The DSN parameters (RFC 3461) to put on the wire for one message. A null field means "do not send
 * this parameter".
 *
 * @param ret the RET value for MAIL FROM, {@code HDRS} or {@code FULL}
 * @param envid the ENVID for MAIL FROM, already safe as xtext
 * @param notifyOn the NOTIFY value for each RCPT TO, for example {@code FAILURE,DELAY}
 * @param orcpt whether to send ORCPT with each ASCII recipient
 */
public record DsnRequest(String ret, String envid, String notifyOn, boolean orcpt) {
  /** No DSN parameters: the server does not support DSN, or nothing was requested yet. */
  public static final DsnRequest NONE = new DsnRequest(null, null, null, false);

  /** Returns true when any parameter is to be sent. */
  public boolean isRequested() {
    return ret != null || envid != null || notifyOn != null;
  }

  /** Describes the MAIL FROM and RCPT TO parameters, as a report shows them; empty when none. */
  public String describe() {
    // sized for all three (built for every report): the default capacity grew twice per call
    StringBuilder sb = new StringBuilder(22 + length(ret) + length(envid) + length(notifyOn));
    if (ret != null) {
      sb.append("RET=").append(ret);
    }
    if (envid != null) {
      sb.append(sb.length() > 0 ? " " : "").append("ENVID=").append(envid);
    }
    if (notifyOn != null) {
      sb.append(sb.length() > 0 ? " " : "").append("NOTIFY=").append(notifyOn);
    }
    return sb.toString();
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
