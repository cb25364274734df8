package org.mailwarden.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postfix {@code smtpd} on loopback, as relays run it: STARTTLS with a test certificate
 * made for it (CN and subject alternative names {@code localhost} and {@code 127.0.0.1}), PIPELINING,
 * CHUNKING, DSN, SMTPUTF8. It hands every message on, before any queue, to an smtp-sink
 * ({@code smtpd_proxy_filter}), so what is measured is the SMTP dialogue and not Postfix's queue and
 * disk. Everything lives in a temporary folder (configuration, queue, log) that {@link #close()}
 * removes; the notes of DESIGN.md on a private Postfix apply (log file prefix, data directory owned by
 * {@code postfix}, no chroot, {@code main.cf} aged so that the commands do not wait).
 */
final class PrivatePostfix implements AutoCloseable {
  final int port;
  final Path certificate;
  private final Path dir;
  private final Sink sink;

  private PrivatePostfix(Path dir, int port, Sink sink) {
    this.dir = dir;
    this.port = port;
    this.sink = sink;
    this.certificate = dir.resolve("conf/cert.pem");
  }

  static PrivatePostfix start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("mailwarden-postfix");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.createDirectories(dir.resolve("queue"));
    Path data = Files.createDirectories(dir.resolve("data"));
    run(List.of("chown", "postfix", data.toString()));
    run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2",
        "-keyout", conf.resolve("key.pem").toString(), "-out", conf.resolve("cert.pem").toString()));
    Sink sink = Sink.start();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String d = dir.toString();
    Files.writeString(conf.resolve("main.cf"), String.join("\n",
        "compatibility_level = 3.6",
        "queue_directory = " + d + "/queue",
        "data_directory = " + d + "/data",
        "maillog_file = " + d + "/maillog",
        "maillog_file_prefixes = /var, /dev/stdout, " + d,
        "inet_interfaces = loopback-only",
        "inet_protocols = ipv4",
        "myhostname = relay.example.org",
        "mydestination =",
        "mynetworks = 127.0.0.0/8",
        "smtpd_relay_restrictions = permit_mynetworks, reject",
        "smtpd_proxy_filter = 127.0.0.1:" + sink.port,
        "smtpd_tls_security_level = may",
        "smtpd_tls_cert_file = " + d + "/conf/cert.pem",
        "smtpd_tls_key_file = " + d + "/conf/key.pem",
        "smtp_dns_support_level = disabled",
        ""));
    StringBuilder master = new StringBuilder("127.0.0.1:" + port + " inet n - n - - smtpd\n");
    for (String service : List.of("pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup",
        "qmgr unix n - n 300 1 qmgr", "tlsmgr unix - - n 1000? 1 tlsmgr", "rewrite unix - - n - - trivial-rewrite",
        "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce", "trace unix - - n - 0 bounce",
        "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush", "proxymap unix - - n - - proxymap",
        "smtp unix - - n - - smtp", "showq unix n - n - - showq", "error unix - - n - - error",
        "retry unix - - n - - error", "discard unix - - n - - discard", "anvil unix - - n - 1 anvil",
        "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd")) {
      master.append(service).append('\n');
    }
    Files.writeString(conf.resolve("master.cf"), master);
    FileTime aged = FileTime.from(Instant.now().minusSeconds(60));
    Files.setLastModifiedTime(conf.resolve("main.cf"), aged);
    Files.setLastModifiedTime(conf.resolve("master.cf"), aged);
    PrivatePostfix postfix = new PrivatePostfix(dir, port, sink);
    try {
      run(List.of("postfix", "-c", conf.toString(), "start"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 500);
          return postfix;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw new IOException("Postfix did not listen on port " + port + "; see " + dir.resolve("maillog"), e);
          }
          Thread.sleep(100);
        }
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      postfix.close();
      throw e;
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("failed: " + String.join(" ", command) + " (Debian packages postfix and openssl)");
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      run(List.of("postfix", "-c", dir.resolve("conf").toString(), "stop"));
    } catch (IOException e) {
      // not started
    }
    sink.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
