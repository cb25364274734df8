package org.mailwarden.faults;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server for the faults smtp-sink cannot produce: refusing <em>some</em> recipients
 * of a message (smtp-sink's {@code -r}/{@code -f RCPT} refuse every RCPT), and everything about
 * {@code CHUNKING} ({@code BDAT}, RFC 3030), which smtp-sink does not offer. It accepts every
 * recipient except those whose local part starts with {@code gone.} (refused {@code 550 5.1.1}) or
 * {@code busy.} (refused {@code 452 4.2.2}), advertises DSN like smtp-sink, and counts sessions and
 * messages. Used by the fault matrix only for those rows; everything else runs against the real
 * smtp-sink.
 *
 * <p>{@link #pipelining()} and {@link #chunking()} add the extensions to the EHLO reply, and
 * {@link #fault} makes one command misbehave until {@link #heal()}. Like Postfix's smtpd, the server
 * holds its replies while more input is already waiting and sends them together when it has read
 * everything the client sent; {@link #flushes()} counts those sends, so it counts the round trips the
 * client made (a client that waits for each reply causes one per command).
 */
final class ScriptedRelay implements AutoCloseable {
  /** How a command misbehaves. */
  enum Fault {
    /** The connection is closed on reading the command, without a reply. */
    CLOSE,
    /** {@code 421} and the connection closed. */
    REPLY_421,
    /** A permanent refusal ({@code 550} for MAIL, {@code 554} for DATA and BDAT). */
    REFUSE,
    /** No reply, to this command or any later one: the server reads on until the client closes. */
    STALL,
    /** BDAT only: half of the chunk is read, then the connection is closed. */
    CLOSE_MID_CHUNK,
    /** BDAT only: the whole chunk is read and the message kept, then the connection is closed unanswered. */
    CLOSE_AFTER_CHUNK
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger flushes = new AtomicInteger();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private volatile boolean pipelining;
  private volatile boolean chunking;
  private volatile String faultCommand;
  private volatile Fault fault;

  ScriptedRelay() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "scripted-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Advertises PIPELINING (RFC 2920) from the next EHLO on. */
  ScriptedRelay pipelining() {
    pipelining = true;
    return this;
  }

  /** Advertises CHUNKING (RFC 3030) from the next EHLO on. */
  ScriptedRelay chunking() {
    chunking = true;
    return this;
  }

  /** Makes the first {@code command} of each transaction ({@code MAIL}, {@code RCPT}, {@code DATA}, {@code BDAT}) misbehave. */
  ScriptedRelay fault(String command, Fault f) {
    faultCommand = command;
    fault = f;
    return this;
  }

  /** Ends the fault. */
  void heal() {
    fault = null;
    faultCommand = null;
  }

  int port() {
    return server.getLocalPort();
  }

  int sessions() {
    return sessions.get();
  }

  /** How many times replies were sent: once per round trip of the client. */
  int flushes() {
    return flushes.get();
  }

  /** Every message received (its data, up to the final dot or the last chunk). */
  List<String> messages() {
    return List.copyOf(messages);
  }

  /** Every command line received, in order, over all sessions (message data excluded). */
  List<String> commands() {
    return List.copyOf(commands);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sessions.incrementAndGet();
        Thread t = new Thread(() -> serve(s), "scripted-relay-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private boolean faulty(String command, boolean first) {
    return first && command.equals(faultCommand) && fault != null;
  }

  private void serve(Socket socket) {
    try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.ISO_8859_1)); OutputStream out = socket.getOutputStream()) {
      Replies replies = new Replies(in, out);
      replies.add("220 scripted ESMTP");
      boolean mail = false;
      int accepted = 0;
      boolean firstRcpt = true;
      boolean firstData = true;
      StringBuilder chunks = new StringBuilder();
      String line;
      while (true) {
        replies.flushUnlessMoreInput(); // the replies so far go out once the client waits for them
        if ((line = in.readLine()) == null) {
          return;
        }
        commands.add(line);
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("EHLO")) {
          replies.add("250-scripted\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
              + (pipelining ? "250-PIPELINING\r\n" : "") + (chunking ? "250-CHUNKING\r\n" : "") + "250 DSN");
        } else if (upper.startsWith("HELO") || upper.startsWith("NOOP")) {
          replies.add("250 2.0.0 Ok");
        } else if (upper.startsWith("RSET")) {
          mail = false;
          accepted = 0;
          chunks.setLength(0);
          replies.add("250 2.0.0 Ok");
        } else if (upper.startsWith("MAIL FROM:")) {
          accepted = 0;
          firstRcpt = true;
          firstData = true;
          chunks.setLength(0);
          if (faulty("MAIL", true)) {
            if (endsSession(replies, "550 5.7.1 sender refused")) {
              return;
            }
            continue;
          }
          mail = true;
          replies.add("250 2.1.0 Ok");
        } else if (upper.startsWith("RCPT TO:")) {
          boolean first = firstRcpt;
          firstRcpt = false;
          String path = upper.substring("RCPT TO:".length()).trim();
          if (!mail) {
            replies.add("503 5.5.1 Error: need MAIL command");
          } else if (faulty("RCPT", first)) {
            if (endsSession(replies, "550 5.7.1 recipient refused")) {
              return;
            }
          } else if (path.startsWith("<GONE.")) {
            replies.add("550 5.1.1 no such user");
          } else if (path.startsWith("<BUSY.")) {
            replies.add("452 4.2.2 mailbox full");
          } else {
            accepted++;
            replies.add("250 2.1.5 Ok");
          }
        } else if (upper.equals("DATA")) {
          boolean first = firstData;
          firstData = false;
          if (accepted == 0) {
            replies.add("503 5.5.1 need RCPT command");
            continue;
          }
          if (faulty("DATA", first)) {
            if (endsSession(replies, "554 5.7.1 data refused")) {
              return;
            }
            continue;
          }
          replies.add("354 End data with <CR><LF>.<CR><LF>");
          replies.flushUnlessMoreInput();
          StringBuilder data = new StringBuilder();
          while ((line = in.readLine()) != null && !line.equals(".")) {
            data.append(line.startsWith(".") ? line.substring(1) : line).append('\n'); // dot-stuffing undone
          }
          messages.add(data.toString());
          mail = false;
          accepted = 0;
          replies.add("250 2.0.0 Ok: queued");
        } else if (upper.startsWith("BDAT ") && chunking) {
          boolean first = firstData;
          firstData = false;
          String[] words = upper.split(" +");
          int size = Integer.parseInt(words[1]);
          boolean last = words.length > 2 && words[2].equals("LAST");
          if (faulty("BDAT", first) && fault == Fault.STALL) {
            endsSession(replies, null);
            return;
          }
          if (faulty("BDAT", first) && fault == Fault.CLOSE_MID_CHUNK) {
            in.read(new char[size / 2]);
            return;
          }
          char[] chunk = new char[size];
          int read = 0;
          while (read < size) {
            int n = in.read(chunk, read, size - read);
            if (n < 0) {
              return;
            }
            read += n;
          }
          if (!mail || accepted == 0) {
            replies.add("554 5.5.1 Error: no valid recipients");
            continue;
          }
          chunks.append(chunk);
          if (faulty("BDAT", first)) {
            if (fault == Fault.CLOSE_AFTER_CHUNK) {
              messages.add(chunks.toString().replace("\r\n", "\n"));
              return;
            }
            if (endsSession(replies, "554 5.7.1 data refused")) {
              return;
            }
            continue;
          }
          if (last) {
            messages.add(chunks.toString().replace("\r\n", "\n"));
            chunks.setLength(0);
            mail = false;
            accepted = 0;
            replies.add("250 2.0.0 Ok: " + size + " bytes, queued");
          } else {
            replies.add("250 2.0.0 Ok: " + size + " bytes");
          }
        } else if (upper.startsWith("QUIT")) {
          replies.add("221 2.0.0 Bye");
          replies.flushNow();
          return;
        } else {
          replies.add("502 5.5.2 command not recognized");
        }
      }
    } catch (SocketException closed) {
      // the client went away
    } catch (IOException e) {
      // the client went away
    }
  }

  /**
   * Applies the fault to a command: returns true when the session ends here (closed, with or without
   * a 421 sent first), false when the command was refused with {@code refusal}.
   */
  private boolean endsSession(Replies replies, String refusal) throws IOException {
    switch (fault) {
      case STALL -> {
        while (replies.in.read() >= 0) {
          // the client's bytes are read and never answered
        }
        return true;
      }
      case REPLY_421 -> {
        replies.add("421 4.3.0 closing the transmission channel");
        replies.flushNow();
        return true;
      }
      case REFUSE -> {
        replies.add(refusal);
        return false;
      }
      default -> {
        return true; // closed without a reply; replies held back are lost with the connection
      }
    }
  }

  /** Replies held back while the client's next commands are already waiting. */
  private final class Replies {
    private final BufferedReader in;
    private final OutputStream out;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();

    Replies(BufferedReader in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    void add(String text) throws IOException {
      held.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    void flushUnlessMoreInput() throws IOException {
      if (held.size() > 0 && !in.ready()) {
        flushNow();
      }
    }

    void flushNow() throws IOException {
      flushes.incrementAndGet(); // before the client can read the replies and look at the count
      held.writeTo(out);
      out.flush();
      held.reset();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
