package org.mailwarden.internal.chain;

import java.util.StringJoiner;

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
    if (ret != null && envid != null && notifyOn != null) {
      return "RET=" + ret + " ENVID=" + envid + " NOTIFY=" + notifyOn; // the usual case, one exact copy
    }
    StringJoiner parameters = new StringJoiner(" ");
    if (ret != null) {
      parameters.add("RET=" + ret);
    }
    if (envid != null) {
      parameters.add("ENVID=" + envid);
    }
    if (notifyOn != null) {
      parameters.add("NOTIFY=" + notifyOn);
    }
    return parameters.toString();
  }
}
