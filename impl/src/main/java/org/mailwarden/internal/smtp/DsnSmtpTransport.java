package org.mailwarden.internal.smtp;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.eclipse.angus.mail.util.CRLFOutputStream;
import org.mailwarden.internal.chain.DsnRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Angus Mail's SMTP transport with the DSN parameters of each message decided by Mailwarden: before
 * {@code MAIL FROM} and {@code RCPT TO} go on the wire, any {@code RET}, {@code ENVID}, {@code NOTIFY}
 * or {@code ORCPT} that Angus took from the session or an {@code SMTPMessage} is removed and the
 * policy's own are appended.
 *
 * <p><b>Pipelining.</b> When the server advertises {@code PIPELINING} (RFC 2920) and pipelining is on
 * (the default), the envelope goes out as one group, written with one flush: {@code MAIL FROM} and
 * every {@code RCPT TO}, and, when a refused recipient cannot lead to a partial delivery (one
 * recipient, or {@code mail.smtp.sendpartial=true}), the data command too: {@code DATA}, or with
 * {@code CHUNKING} (RFC 3030) {@code BDAT <n> LAST} followed by the whole message. A message on a kept
 * connection then costs one round trip with CHUNKING and two without. With several recipients and
 * all-or-nothing delivery, the data command waits for the recipients' replies, as without pipelining
 * (a {@code DATA} in the group would get a 354 as soon as one recipient is accepted, and the only way
 * out of that is to send the message).
 *
 * <p>The replies are read by Angus's own {@code mailFrom()}, {@code rcptTo()}, {@code data()} and
 * {@code finishData()}: after the group is written they run once more ("replay"), and this class hands
 * them, instead of writing each command again, the reply the server gave to it. So the recipient
 * lists, the exceptions, the {@code RSET} after a refusal and the listener events are Angus's, exactly
 * as without pipelining. Before a command outside the group (Angus's {@code RSET}) the replies still
 * owed by the server are read first; a {@code 354} among them (a server that accepted {@code DATA}
 * for a transaction the client gave up) makes the connection be closed, so nothing is delivered.
 * Angus's {@code BDAT} stream cannot be used (it dot-stuffs the data, which BDAT must not, and it
 * writes each chunk with its own command and reply); the message is buffered here once, in canonical
 * CRLF form, and written raw after the {@code BDAT} command. Writing a group needs Angus's buffered
 * socket stream, which it keeps private; when the JVM does not let this class reach it (Angus on the
 * module path, not opened), the dialogue is the one without pipelining.
 *
 * <p>For the connection pool it also tells, without a round trip, whether its socket is still open
 * ({@link #isOpen()}), and after a failed send whether the failure was a lost connection before the
 * server was handed any message data ({@link #droppedBeforeData(MessagingException)}), the one case
 * in which sending again on a fresh connection cannot deliver the message twice.
 */
public final class DsnSmtpTransport extends SMTPTransport {
  private static final Logger log = LoggerFactory.getLogger(DsnSmtpTransport.class);
  private static final VarHandle SERVER_OUTPUT = serverOutputHandle();
  private static final VarHandle SERVER_SOCKET = serverSocketHandle();
  private static final byte[] CRLF = {'\r', '\n'};
  /** A buffer grown past this by a large message is not kept for the next one. */
  private static final int KEPT_BUFFER_BYTES = 1 << 20;

  private final boolean pipelining;
  private final String protocol;
  private final boolean utf8Commands;
  private DsnRequest dsn = DsnRequest.NONE;
  private volatile boolean open;
  private boolean dataStarted;

  // the pipelined group of the message being sent; all reset by sendMessage
  private Phase phase = Phase.DIRECT;
  private boolean piped;
  private boolean chunking;
  private boolean groupData;
  private final List<String> group = new ArrayList<>(4);
  private int written;
  private int answered;
  private boolean closedBeforeData;
  private boolean channelClosed;
  private Address[] recipients;
  private Body body;

  /** How {@link #sendCommand} and {@link #readServerResponse} behave. */
  private enum Phase {
    /** Angus's dialogue as it is: each command written and flushed, each reply read. */
    DIRECT,
    /** Commands are collected for the group, nothing is written; every reply is a provisional 250. */
    RECORD,
    /** Commands already written with the group are not written again; their replies are read. */
    REPLAY,
    /** Angus's {@code DATA} is not sent (BDAT was): its reply is a provisional 354. */
    STAND_IN,
    /** The connection is being given up: nothing is written, every reply is "end of stream". */
    ABANDONED
  }

  /** A delegate with pipelining on. */
  public DsnSmtpTransport(Session session, URLName urlname, String protocol, boolean ssl) {
    this(session, urlname, protocol, ssl, true);
  }

  /**
   * A delegate transport.
   *
   * @param pipelining whether to pipeline (and chunk) when the server advertises {@code PIPELINING}
   *     (and {@code CHUNKING}); false gives Angus's dialogue whatever the server offers
   */
  public DsnSmtpTransport(Session session, URLName urlname, String protocol, boolean ssl, boolean pipelining) {
    super(session, urlname, protocol, ssl);
    this.pipelining = pipelining && SERVER_OUTPUT != null;
    this.protocol = protocol;
    this.utf8Commands = Boolean.parseBoolean(session.getProperty("mail.mime.allowutf8"));
  }

  /** Sets the DSN parameters for the next message; called with this transport's lock held. */
  public synchronized void setDsn(DsnRequest dsn) {
    this.dsn = dsn;
  }

  /**
   * Closes the socket under this connection from another thread, so that a read, a write or a TLS
   * handshake blocked on it fails at once; the connection is useless afterwards. Takes no lock (the
   * sending thread holds this transport's). Does nothing before the TCP connection is established,
   * or when the JVM does not let this class reach Angus's socket (then the socket timeouts bound the
   * send alone).
   *
   * @return whether a socket was closed
   */
  public boolean abort() {
    if (SERVER_SOCKET == null) {
      return false;
    }
    Socket socket = (Socket) SERVER_SOCKET.getVolatile((SMTPTransport) this);
    if (socket == null) {
      return false;
    }
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing the socket of a timed-out send failed", e);
    }
    return true;
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
    closedBeforeData = false;
    channelClosed = false;
    piped = pipelining && open && supportsExtension("PIPELINING");
    if (piped) {
      boolean angusChunks = intProperty("chunksize") > 0; // then Angus sends BDAT itself, unpipelined
      chunking = !angusChunks && supportsExtension("CHUNKING");
      groupData = !angusChunks && (countRecipients(addresses) == 1 || sendPartial(message));
      recipients = addresses;
    }
    try {
      super.sendMessage(message, addresses);
    } finally {
      boolean outOfStep = piped && phase != Phase.ABANDONED && answered < written;
      piped = false;
      phase = Phase.DIRECT;
      group.clear();
      written = 0;
      answered = 0;
      recipients = null;
      if (body != null && body.capacity() > KEPT_BUFFER_BYTES) {
        body = null;
      }
      if (outOfStep) {
        abandon(); // replies still owed: the next command would read a stale one
        phase = Phase.DIRECT;
      }
    }
  }

  /** Records {@code MAIL FROM} for the group instead of sending it (Angus builds the command). */
  @Override
  protected void mailFrom() throws MessagingException {
    if (!piped || phase == Phase.REPLAY) {
      super.mailFrom();
      return;
    }
    phase = Phase.RECORD;
    try {
      super.mailFrom();
    } finally {
      phase = Phase.DIRECT;
    }
  }

  /**
   * Adds one {@code RCPT TO} per recipient to the group; unless the data command joins the group, the
   * group is written now and Angus's envelope dialogue reads its replies.
   */
  @Override
  protected void rcptTo() throws MessagingException {
    if (!piped || phase == Phase.REPLAY) {
      super.rcptTo();
      return;
    }
    for (Address a : expanded(recipients)) {
      group.add(rewrite("RCPT TO:" + normalize(((InternetAddress) a).getAddress()), dsn));
    }
    if (!groupData) {
      writeGroup(null);
      replayEnvelope();
    }
  }

  /**
   * Marks the message data stage as begun: from here on the server may accept the message. With
   * pipelining, sends the group first when {@code DATA} belongs to it; with CHUNKING returns a buffer
   * that {@link #finishData()} sends after {@code BDAT}.
   */
  @Override
  protected OutputStream data() throws MessagingException {
    if (piped && chunking) {
      if (body == null) {
        body = new Body();
      }
      body.reset();
      return body.canonical();
    }
    if (piped && groupData) {
      group.add("DATA");
      writeGroup(null);
      replayEnvelope();
    }
    OutputStream out = super.data();
    dataStarted = true;
    return out;
  }

  /** With CHUNKING, sends {@code BDAT <n> LAST} and the message (with the group when it belongs to it). */
  @Override
  protected void finishData() throws IOException, MessagingException {
    if (!(piped && chunking)) {
      super.finishData();
      return;
    }
    body.finish();
    group.add("BDAT " + body.size() + " LAST");
    dataStarted = true; // from the first byte written on, the server may end up with the message
    writeGroup(body);
    if (groupData) {
      replayEnvelope();
    }
    // Angus's final-dot handling reads the BDAT reply: "." stands for the BDAT command in the replay.
    // It needs the data stream of a DATA command, which it gets without anything sent or read.
    phase = Phase.STAND_IN;
    super.data();
    phase = Phase.REPLAY;
    super.finishData();
  }

  /** BDAT carries message data from its first chunk on, so a failure after it is never retried. */
  @Override
  protected OutputStream bdat() throws MessagingException {
    dataStarted = true;
    return super.bdat();
  }

  /**
   * Returns whether the last {@code sendMessage} failed because the connection was lost (end of
   * stream, an I/O error, or a 421 "closing channel" reply) before the server was handed the message:
   * at the MAIL, RCPT or DATA command, before the server answered DATA with 354. Such a message was
   * not accepted by the server, so sending it again on another connection cannot duplicate it. After
   * the 354 (the data stage, the final dot) this returns false whatever happened: the server may have
   * accepted the message. With {@code BDAT} in a pipelined group the data went out with the envelope:
   * only a 421 read for a command before it (the server closed the channel there, so it never took the
   * data) lets the message be sent again; an end of stream or an I/O error does not.
   */
  public synchronized boolean droppedBeforeData(MessagingException failure) {
    if (dataStarted) {
      return closedBeforeData;
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
    String c = rewrite(cmd, dsn);
    switch (phase) {
      case RECORD -> group.add(c);
      case REPLAY -> {
        if (answered < written && matches(group.get(answered), c)) {
          if (channelClosed) {
            // as the command's own write would have after the 421, had it waited for it
            throw new MessagingException("Can't send command to SMTP host",
                new SocketException("the server closed the connection with 421"));
          }
          return; // written with the group; readServerResponse reads its reply
        }
        drain();
        if (phase == Phase.ABANDONED) {
          return;
        }
        phase = Phase.DIRECT;
        super.sendCommand(c);
      }
      case ABANDONED, STAND_IN -> {
        // nothing goes to the server
      }
      default -> super.sendCommand(c);
    }
  }

  @Override
  protected int readServerResponse() throws MessagingException {
    switch (phase) {
      case RECORD:
        return 250;
      case STAND_IN:
        return 354;
      case ABANDONED:
        return -1;
      case REPLAY:
        return answered < written ? readGroupReply() : super.readServerResponse();
      default:
        return super.readServerResponse();
    }
  }

  /**
   * Reads the reply to the next command of the group. A 421 to a command before a {@code BDAT} of the
   * group means the server closed the channel there, without taking the data that followed.
   */
  private int readGroupReply() throws MessagingException {
    int index = answered++;
    int code = super.readServerResponse();
    int last = group.size() - 1;
    if (code == 421) {
      channelClosed = true;
      closedBeforeData |= index < last && group.get(last).startsWith("BDAT ");
    }
    return code;
  }

  /** Angus sends {@code "."} to end the data; in a chunked group that is the {@code BDAT ... LAST}. */
  private static boolean matches(String groupCommand, String angusCommand) {
    return groupCommand.equals(angusCommand) || angusCommand.equals(".") && groupCommand.startsWith("BDAT ");
  }

  /** Runs Angus's envelope dialogue against the replies to the group just written. */
  private void replayEnvelope() throws MessagingException {
    phase = Phase.REPLAY;
    super.mailFrom();
    super.rcptTo();
  }

  /**
   * Reads the replies the server still owes for the group, before a command outside it. A 354 among
   * them means the server waits for message data the client will not send: the connection is given up.
   */
  private void drain() {
    while (answered < written) {
      String command = group.get(answered);
      int code;
      try {
        code = readGroupReply();
      } catch (MessagingException e) {
        abandon(); // a read timed out or failed: the connection is out of step or gone
        return;
      }
      if (code == -1) {
        return;
      }
      if (code == 354 && command.equals("DATA")) {
        log.warn("the server accepted DATA after the envelope failed; closing the connection so that "
            + "nothing is delivered");
        abandon();
        return;
      }
    }
  }

  /** Closes the connection without a further command reaching the server as part of a transaction. */
  private void abandon() {
    phase = Phase.ABANDONED;
    answered = written;
    try {
      super.close(); // its QUIT is swallowed by sendCommand, its reply is "end of stream"
    } catch (MessagingException e) {
      log.debug("closing an abandoned connection failed", e);
    }
  }

  /** Writes the commands of the group not written yet, then {@code data} if any, with one flush. */
  private void writeGroup(Body data) throws MessagingException {
    OutputStream out = (OutputStream) SERVER_OUTPUT.get((SMTPTransport) this);
    try {
      for (int i = written; i < group.size(); i++) {
        byte[] bytes = commandBytes(group.get(i));
        out.write(bytes);
        out.write(CRLF);
      }
      written = group.size();
      if (data != null) {
        data.writeTo(out);
      }
      out.flush();
    } catch (IOException | RuntimeException e) {
      throw new MessagingException("Can't send command to SMTP host", e);
    }
  }

  /** The command's bytes as Angus's own {@code sendCommand} would write them. */
  private byte[] commandBytes(String cmd) {
    for (int i = 0; i < cmd.length(); i++) {
      char ch = cmd.charAt(i);
      if (ch == '\r' || ch == '\n') {
        throw new IllegalArgumentException("Command contains illegal character: " + String.format("0x%02x", (int) ch));
      }
    }
    if (utf8Commands) {
      return cmd.getBytes(StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[cmd.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) cmd.charAt(i);
    }
    return bytes;
  }

  private int intProperty(String key) {
    String v = session.getProperty("mail." + protocol + "." + key);
    try {
      return v == null ? 0 : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private boolean sendPartial(Message message) {
    if (message instanceof SMTPMessage m && m.getSendPartial()) {
      return true;
    }
    return Boolean.parseBoolean(session.getProperty("mail." + protocol + ".sendpartial"));
  }

  private static int countRecipients(Address[] addresses) {
    return addresses == null ? 0 : expanded(addresses).size();
  }

  /** The recipients as Angus sends them: group addresses replaced by their members. */
  private static List<Address> expanded(Address[] addresses) {
    List<Address> out = new ArrayList<>(addresses.length);
    for (Address a : addresses) {
      if (a instanceof InternetAddress ia && ia.isGroup()) {
        try {
          InternetAddress[] members = ia.getGroup(true);
          if (members != null) {
            out.addAll(List.of(members));
            continue;
          }
        } catch (AddressException e) {
          // Angus keeps such an address as it is
        }
      }
      out.add(a);
    }
    return out;
  }

  /** Wraps an address in angle brackets as Angus does. */
  private static String normalize(String address) {
    return !address.startsWith("<") && !address.endsWith(">") ? "<" + address + ">" : address;
  }

  private static VarHandle serverOutputHandle() {
    try {
      return MethodHandles.privateLookupIn(SMTPTransport.class, MethodHandles.lookup())
          .findVarHandle(SMTPTransport.class, "serverOutput", OutputStream.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LoggerFactory.getLogger(DsnSmtpTransport.class).info("Angus Mail's socket stream is not reachable ({}); "
          + "messages are sent without pipelining", e.toString());
      return null;
    }
  }

  private static VarHandle serverSocketHandle() {
    try {
      return MethodHandles.privateLookupIn(SMTPTransport.class, MethodHandles.lookup())
          .findVarHandle(SMTPTransport.class, "serverSocket", Socket.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LoggerFactory.getLogger(DsnSmtpTransport.class).info("Angus Mail's socket is not reachable ({}); "
          + "send-timeout is enforced between phases and by the socket timeouts only", e.toString());
      return null;
    }
  }

  /** The message in canonical form (CRLF line ends, no dot-stuffing), as BDAT carries it. */
  private static final class Body extends ByteArrayOutputStream {
    private final Canonical canonical = new Canonical(this);

    Body() {
      super(4096);
    }

    @Override
    public synchronized void reset() {
      super.reset();
      canonical.startLine();
    }

    OutputStream canonical() {
      return canonical;
    }

    void finish() throws IOException {
      canonical.endLine();
    }

    int capacity() {
      return buf.length;
    }

    private static final class Canonical extends CRLFOutputStream {
      Canonical(OutputStream out) {
        super(out);
      }

      void startLine() {
        atBOL = true;
        lastb = -1;
      }

      /** Ends the last line with CRLF unless it ended already, as Angus ends the data. */
      void endLine() throws IOException {
        if (!atBOL) {
          writeln();
        }
      }
    }
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
