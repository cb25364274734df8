package org.mailwarden.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of smtp-sink that breaks SMTP sessions at random points, for the
 * soak benchmark. It reads what the client sends line by line (commands, then the message data up to
 * the final dot) and, with the configured odds per event:
 *
 * <ul>
 *   <li><b>cut</b> the connection instead of forwarding a command (EHLO, MAIL, RCPT, DATA, ...);
 *   <li><b>stall</b>: forward nothing more and let the client run into its read timeout;
 *   <li>at the final dot: cut <b>before</b> it (the server never gets the end of the data: nothing is
 *       delivered), cut <b>after</b> it (the server has the message, the client never hears the
 *       reply), or swallow the reply (the same, through the client's read timeout).
 * </ul>
 *
 * <p>The last two are the ambiguous case every SMTP client has: the message was delivered but the
 * client must report a failure. They are counted, so the benchmark can check that every message
 * that was reported failed yet delivered is explained by one of them.
 */
final class FaultProxy implements AutoCloseable {
  final AtomicLong connections = new AtomicLong();
  final AtomicLong cuts = new AtomicLong();
  final AtomicLong stalls = new AtomicLong();
  final AtomicLong cutsBeforeDot = new AtomicLong();
  final AtomicLong cutsAfterDot = new AtomicLong();
  final AtomicLong stallsAfterDot = new AtomicLong();

  private final ServerSocket server;
  private final int upstreamPort;
  private final double cutOdds;
  private final double stallOdds;

  FaultProxy(int upstreamPort, double cutOdds, double stallOdds) throws IOException {
    this.upstreamPort = upstreamPort;
    this.cutOdds = cutOdds;
    this.stallOdds = stallOdds;
    this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "fault-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Every event that can leave a delivered message reported as failed. */
  long ambiguous() {
    return cutsAfterDot.get() + stallsAfterDot.get();
  }

  @Override
  public String toString() {
    return String.format("connections %d, cut at a command %d, stalled at a command %d, cut before the dot %d,"
        + " cut after the dot %d, reply to the dot swallowed %d", connections.get(), cuts.get(), stalls.get(),
        cutsBeforeDot.get(), cutsAfterDot.get(), stallsAfterDot.get());
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        Session s = new Session(client, upstream);
        Thread up = new Thread(s::clientToServer, "fault-proxy-up");
        Thread down = new Thread(s::serverToClient, "fault-proxy-down");
        up.setDaemon(true);
        down.setDaemon(true);
        up.start();
        down.start();
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private boolean roll(double odds) {
    return odds > 0 && ThreadLocalRandom.current().nextDouble() < odds;
  }

  private final class Session {
    final Socket client;
    final Socket upstream;
    volatile boolean swallow;

    Session(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void clientToServer() {
      try (client; upstream) {
        InputStream in = new BufferedInputStream(client.getInputStream(), 16 * 1024);
        OutputStream out = new BufferedOutputStream(upstream.getOutputStream(), 16 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        boolean data = false;
        while (readLine(in, line)) {
          byte[] bytes = line.toByteArray();
          if (!data) {
            if (roll(cutOdds)) {
              cuts.incrementAndGet();
              return;
            }
            if (roll(stallOdds)) {
              stalls.incrementAndGet();
              swallow = true;
              drain(in);
              return;
            }
            data = startsWith(bytes, "DATA");
          } else if (isDot(bytes)) {
            data = false;
            if (roll(cutOdds)) {
              cutsBeforeDot.incrementAndGet();
              return;
            }
            if (roll(cutOdds)) {
              out.write(bytes);
              out.flush();
              cutsAfterDot.incrementAndGet();
              client.close();
              return;
            }
            if (roll(stallOdds)) {
              swallow = true;
              out.write(bytes);
              out.flush();
              stallsAfterDot.incrementAndGet();
              drain(in);
              return;
            }
          }
          out.write(bytes);
          if (in.available() == 0) {
            out.flush();
          }
        }
      } catch (IOException e) {
        // one side went away; both are closed
      }
    }

    void serverToClient() {
      byte[] buf = new byte[8192];
      try (client; upstream) {
        InputStream in = upstream.getInputStream();
        OutputStream out = client.getOutputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (!swallow) {
            out.write(buf, 0, n);
          }
        }
      } catch (IOException e) {
        // one side went away; both are closed
      }
    }

    /** Reads until the client gives up (its read timeout closes the connection). */
    private void drain(InputStream in) throws IOException {
      byte[] buf = new byte[1024];
      while (in.read(buf) >= 0) {
        // discarded
      }
    }
  }

  private static boolean readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
    line.reset();
    int c;
    while ((c = in.read()) >= 0) {
      line.write(c);
      if (c == '\n') {
        return true;
      }
    }
    return line.size() > 0;
  }

  private static boolean startsWith(byte[] line, String command) {
    if (line.length < command.length()) {
      return false;
    }
    return new String(line, 0, command.length(), StandardCharsets.US_ASCII).equalsIgnoreCase(command);
  }

  private static boolean isDot(byte[] line) {
    return (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n')
        || (line.length == 2 && line[0] == '.' && line[1] == '\n');
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
