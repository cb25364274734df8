package org.mailwarden.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that adds a fixed round trip to every connection: each byte is held for
 * half of it on the way to the server and half on the way back, as a network path would, while the
 * bytes keep flowing (a later write is not held behind an earlier one for longer than its own
 * delay). Transparent to TLS (STARTTLS passes through it).
 */
final class DelayProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final long oneWayNanos;

  DelayProxy(int upstreamPort, double roundTripMillis) throws IOException {
    this.upstreamPort = upstreamPort;
    this.oneWayNanos = (long) (roundTripMillis * 1_000_000 / 2);
    this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "delay-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        pump(client, upstream, "delay-proxy-up");
        pump(upstream, client, "delay-proxy-down");
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private record Chunk(long due, byte[] bytes) {}

  private static final Chunk END = new Chunk(0, new byte[0]);

  /** One reader and one writer per direction: the reader stamps each chunk, the writer waits for its time. */
  private void pump(Socket from, Socket to, String name) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          queue.add(new Chunk(System.nanoTime() + oneWayNanos, Arrays.copyOf(buf, n)));
        }
      } catch (IOException e) {
        // the connection ended
      }
      queue.add(END);
    }, name + "-read");
    Thread writer = new Thread(() -> {
      try {
        OutputStream out = to.getOutputStream();
        while (true) {
          Chunk c = queue.take();
          if (c == END) {
            break;
          }
          long wait;
          while ((wait = c.due() - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          out.write(c.bytes());
          out.flush();
        }
        to.shutdownOutput();
      } catch (IOException | InterruptedException e) {
        // the connection ended
      } finally {
        if (from.isClosed() || to.isOutputShutdown()) {
          closeQuietly(to);
          closeQuietly(from);
        }
      }
    }, name + "-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
