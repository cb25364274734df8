package org.mailwarden.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} on a free loopback port, without persistence, started by a test and
 * stopped by {@link #close()}. {@link #stop()} and {@link #restart()} stop and restart it on the same
 * port, to simulate an outage. It never touches a Redis service of the machine.
 *
 * <p>It never skips: when {@code redis-server} is missing the test fails and names the Debian package.
 */
final class RedisServer implements AutoCloseable {
  private static final List<String> CANDIDATES = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server");

  private final String binary;
  private final int port;
  private final Path log;
  private Process process;

  private RedisServer(String binary, int port, Path log) {
    this.binary = binary;
    this.port = port;
    this.log = log;
  }

  /** Starts a server on a free port and waits until it answers. */
  static RedisServer launch() throws IOException, InterruptedException {
    String binary = binary();
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      RedisServer server = new RedisServer(binary, freePort(), Files.createTempFile("redis-server", ".log"));
      try {
        server.restart();
        return server;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  /** Starts (again) the server on its port and waits until it answers PING. */
  synchronized void restart() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      return;
    }
    process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (pings()) {
        return;
      }
      Thread.sleep(20);
    }
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    throw new IOException("redis-server did not start on port " + port + ": " + Files.readString(log));
  }

  /**
   * Freezes the server ({@code kill -STOP}): its connections stay open and nothing answers, as with a
   * Redis stuck in a long command or a fork on a loaded machine.
   */
  synchronized void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a paused server run again ({@code kill -CONT}); it answers what was sent meanwhile. */
  synchronized void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    if (process == null) {
      throw new IllegalStateException("redis-server is not running");
    }
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL) and waits until it has exited; a paused one too. */
  synchronized void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    try {
      signal("CONT"); // a stopped process would hold SIGTERM until it runs again
    } catch (IOException e) {
      // it has exited already
    }
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    process = null;
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  private boolean pings() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(500);
      s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] answer = s.getInputStream().readNBytes(7);
      return new String(answer, java.nio.charset.StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException, IOException {
    stop();
    Files.deleteIfExists(log);
  }

  private static String binary() {
    for (String c : CANDIDATES) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    throw new IllegalStateException("redis-server is not installed: install the Debian package "
        + "'redis-server' (scripts/test installs it when run as root)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
