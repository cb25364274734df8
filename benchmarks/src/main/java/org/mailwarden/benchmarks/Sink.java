package org.mailwarden.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Postfix's smtp-sink (and its smtp-source) on loopback; fails naming the Debian package if missing. */
final class Sink implements AutoCloseable {
  private final Process process;
  final int port;

  private Sink(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Sink start() throws IOException, InterruptedException {
    return start(new String[0]);
  }

  /** Starts smtp-sink with extra flags (for example {@code -D dumpfile}). */
  static Sink start(String... flags) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of(binary("smtp-sink")));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("-u", "nobody"));
    }
    cmd.addAll(List.of(flags));
    cmd.addAll(List.of("127.0.0.1:" + port, "256"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new Sink(p, port);
      } catch (IOException e) {
        Thread.sleep(20);
      }
    }
    p.destroyForcibly();
    throw new IOException("smtp-sink did not start on port " + port);
  }

  static String binary(String name) {
    for (String dir : List.of("/usr/sbin/", "/usr/bin/", "/usr/lib/postfix/sbin/")) {
      if (Files.isExecutable(Path.of(dir + name))) {
        return dir + name;
      }
    }
    throw new IllegalStateException(name + " is not installed: install the Debian package 'postfix'");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(5, TimeUnit.SECONDS);
  }
}
