package org.mailwarden.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server for the one fault smtp-sink cannot produce: refusing <em>some</em> recipients
 * of a message (smtp-sink's {@code -r}/{@code -f RCPT} refuse every RCPT). It accepts every recipient
 * except those whose local part starts with {@code gone.} (refused {@code 550 5.1.1}) or {@code busy.}
 * (refused {@code 452 4.2.2}), advertises DSN like smtp-sink, and counts sessions and messages. Used
 * by the fault matrix only for those rows; everything else runs against the real smtp-sink.
 */
final class ScriptedRelay implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;
  private final AtomicInteger sessions = new AtomicInteger();
  private final List<String> messages = new CopyOnWriteArrayList<>();

  ScriptedRelay() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "scripted-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int sessions() {
    return sessions.get();
  }

  /** Every message received (its data, up to the final dot). */
  List<String> messages() {
    return List.copyOf(messages);
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

  private void serve(Socket socket) {
    try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.ISO_8859_1)); OutputStream out = socket.getOutputStream()) {
      reply(out, "220 scripted ESMTP");
      int accepted = 0;
      String line;
      while ((line = in.readLine()) != null) {
        String upper = line.toUpperCase(java.util.Locale.ROOT);
        if (upper.startsWith("EHLO")) {
          reply(out, "250-scripted\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 DSN");
        } else if (upper.startsWith("HELO") || upper.startsWith("NOOP")) {
          reply(out, "250 2.0.0 Ok");
        } else if (upper.startsWith("MAIL FROM:") || upper.startsWith("RSET")) {
          accepted = 0;
          reply(out, "250 2.0.0 Ok");
        } else if (upper.startsWith("RCPT TO:")) {
          String path = upper.substring("RCPT TO:".length()).trim();
          if (path.startsWith("<GONE.")) {
            reply(out, "550 5.1.1 no such user");
          } else if (path.startsWith("<BUSY.")) {
            reply(out, "452 4.2.2 mailbox full");
          } else {
            accepted++;
            reply(out, "250 2.1.5 Ok");
          }
        } else if (upper.equals("DATA")) {
          if (accepted == 0) {
            reply(out, "503 5.5.1 need RCPT command");
            continue;
          }
          reply(out, "354 End data with <CR><LF>.<CR><LF>");
          StringBuilder data = new StringBuilder();
          while ((line = in.readLine()) != null && !line.equals(".")) {
            data.append(line).append('\n');
          }
          messages.add(data.toString());
          reply(out, "250 2.0.0 Ok: queued");
        } else if (upper.startsWith("QUIT")) {
          reply(out, "221 2.0.0 Bye");
          return;
        } else {
          reply(out, "502 5.5.2 command not recognized");
        }
      }
    } catch (SocketException closed) {
      // the client went away
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
