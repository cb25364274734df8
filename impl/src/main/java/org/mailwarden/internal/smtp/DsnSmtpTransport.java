package org.mailwarden.internal.smtp;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.mailwarden.internal.chain.DsnRequest;

/**
 * Angus Mail's SMTP transport with the DSN parameters of each message decided by Mailwarden: before
 * {@code MAIL FROM} and {@code RCPT TO} go on the wire, any {@code RET}, {@code ENVID}, {@code NOTIFY}
 * or {@code ORCPT} that Angus took from the session or an {@code SMTPMessage} is removed and the
 * policy's own are appended. Nothing else of the dialogue changes.
 *
 * <p>For the connection pool it also tells, without a round trip, whether its socket is still open
 * ({@link #isOpen()}), and after a failed send whether the failure was a lost connection before the
 * server was handed any message data ({@link #droppedBeforeData(MessagingException)}), the one case
 * in which sending again on a fresh connection cannot deliver the message twice.
 */
public final class DsnSmtpTransport extends SMTPTransport {
  private DsnRequest dsn = DsnRequest.NONE;
  private volatile boolean open;
  private boolean dataStarted;

  public DsnSmtpTransport(Session session, URLName urlname, String protocol, boolean ssl) {
    super(session, urlname, protocol, ssl);
  }

  /** Sets the DSN parameters for the next message; called with this transport's lock held. */
  public synchronized void setDsn(DsnRequest dsn) {
    this.dsn = dsn;
  }

  /** Returns whether the connection is open, as far as is known without asking the server. */
  public boolean isOpen() {
    return open;
  }

  @Override
  protected synchronized void setConnected(boolean connected) {
    super.setConnected(connected);
    open = connected;
  }

  @Override
  public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
    dataStarted = false;
    super.sendMessage(message, addresses);
  }

  /** Marks the message data stage as begun: from here on the server may accept the message. */
  @Override
  protected OutputStream data() throws MessagingException {
    OutputStream out = super.data();
    dataStarted = true;
    return out;
  }

  /** BDAT carries message data from its first chunk on, so a failure after it is never retried. */
  @Override
  protected OutputStream bdat() throws MessagingException {
    dataStarted = true;
    return super.bdat();
  }

  /**
   * Returns whether the last {@code sendMessage} failed because the connection was lost (end of
   * stream, an I/O error, or a 421 "closing channel" reply) while still at the MAIL, RCPT or DATA
   * command, before the server answered DATA with 354. Such a message was not accepted by the server,
   * so sending it again on another connection cannot duplicate it. After the 354 (the data stage, the
   * final dot) this returns false whatever happened: the server may have accepted the message.
   */
  public synchronized boolean droppedBeforeData(MessagingException failure) {
    if (dataStarted) {
      return false;
    }
    int code = getLastReturnCode();
    return code == -1 || code == 421 || hasIOException(failure);
  }

  private static boolean hasIOException(Throwable t) {
    for (int depth = 0; t != null && depth < 10; depth++) {
      if (t instanceof IOException) {
        return true;
      }
      Throwable next = t instanceof MessagingException m && m.getNextException() != null
          ? m.getNextException() : t.getCause();
      if (next == t) {
        return false;
      }
      t = next;
    }
    return false;
  }

  @Override
  protected void sendCommand(String cmd) throws MessagingException {
    super.sendCommand(rewrite(cmd, dsn));
  }

  /** Rewrites a MAIL FROM or RCPT TO command to carry exactly the requested DSN parameters. */
  static String rewrite(String cmd, DsnRequest dsn) {
    if (startsWith(cmd, "MAIL FROM:")) {
      int end = pathEnd(cmd, "MAIL FROM:".length());
      StringBuilder sb = keepParameters(cmd, end, "RET=", "ENVID=");
      if (dsn.ret() != null) {
        sb.append(" RET=").append(dsn.ret());
      }
      if (dsn.envid() != null) {
        sb.append(" ENVID=").append(dsn.envid());
      }
      return sb.toString();
    }
    if (startsWith(cmd, "RCPT TO:")) {
      int start = "RCPT TO:".length();
      int end = pathEnd(cmd, start);
      StringBuilder sb = keepParameters(cmd, end, "NOTIFY=", "ORCPT=");
      if (dsn.notifyOn() != null) {
        sb.append(" NOTIFY=").append(dsn.notifyOn());
        String path = cmd.substring(start, end).trim();
        if (dsn.orcpt() && path.length() > 2 && path.startsWith("<") && isAscii(path)) {
          sb.append(" ORCPT=rfc822;").append(xtext(path.substring(1, path.length() - 1)));
        }
      }
      return sb.toString();
    }
    return cmd;
  }

  private static StringBuilder keepParameters(String cmd, int pathEnd, String... drop) {
    StringBuilder sb = new StringBuilder(cmd.length() + 64).append(cmd, 0, pathEnd);
    for (String param : cmd.substring(pathEnd).split(" ")) {
      if (param.isEmpty()) {
        continue;
      }
      boolean keep = true;
      for (String d : drop) {
        if (param.regionMatches(true, 0, d, 0, d.length())) {
          keep = false;
          break;
        }
      }
      if (keep) {
        sb.append(' ').append(param);
      }
    }
    return sb;
  }

  /** Returns the index just past the path ({@code <...>}), honouring quoted strings in the local part. */
  static int pathEnd(String cmd, int from) {
    int i = from;
    while (i < cmd.length() && cmd.charAt(i) == ' ') {
      i++;
    }
    if (i >= cmd.length() || cmd.charAt(i) != '<') {
      int space = cmd.indexOf(' ', i);
      return space < 0 ? cmd.length() : space;
    }
    boolean quoted = false;
    for (i = i + 1; i < cmd.length(); i++) {
      char c = cmd.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '>') {
        return i + 1;
      }
    }
    return cmd.length();
  }

  private static boolean startsWith(String cmd, String prefix) {
    return cmd.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
