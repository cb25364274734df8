package org.mailwarden.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server on a free loopback port: Debian's {@code dnsmasq}, unprivileged, answering only
 * from the records it is given ({@code --local} for the zone, so every other name in it is
 * NXDOMAIN). Two kinds of broken names can be added:
 *
 * <ul>
 *   <li>names that time out: forwarded to a loopback UDP socket that never answers;
 *   <li>names that answer SERVFAIL: forwarded to a second dnsmasq that serves them unsigned, while
 *       this one holds a DNSSEC trust anchor for them, so it finds the answer BOGUS and says SERVFAIL.
 * </ul>
 *
 * <p>Every query received is logged ({@code --log-queries}), so a test can count them. It never
 * skips: when dnsmasq is missing the test fails and names the Debian package.
 */
public final class DnsServer implements AutoCloseable {
  /** How long tests let a lookup in the test zone wait for an answer before it asks again. */
  public static final Duration TIMEOUT = Duration.ofMillis(500);
  /** How many times tests let a lookup in the test zone ask again. */
  public static final int RETRIES = 1;
  /** The bound on a failed lookup: timeout * (retries + 1) plus a generous second for a loaded machine. */
  public static final Duration FAIL_BOUND = TIMEOUT.multipliedBy(RETRIES + 1).plusSeconds(1);

  private static final String BINARY = "/usr/sbin/dnsmasq";
  /** The root zone's KSK-2017 DS record: dnsmasq wants a root anchor whenever DNSSEC is on. */
  private static final String ROOT_ANCHOR =
      ".,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";

  private final Path dir;
  private final Path log;
  private final List<Process> processes;
  private final DatagramSocket blackHole;
  private final int port;

  private DnsServer(Path dir, Path log, List<Process> processes, DatagramSocket blackHole, int port) {
    this.dir = dir;
    this.log = log;
    this.processes = processes;
    this.blackHole = blackHole;
    this.port = port;
  }

  /**
   * Starts the server with the zone the DNS tests share, {@code mw.example}: {@code mx} (an MX),
   * {@code nullmx} (only the null MX), {@code mixed} and {@code mixed2} (a null MX among real ones, in
   * both orders), {@code a} (only an A record), {@code aaaa} (only AAAA), {@code none} (a TXT record
   * only), {@code burst} (an MX, for lookup counting), {@code timeout} (never answered) and
   * {@code servfail} (answered SERVFAIL).
   */
  public static DnsServer startTestZone() throws IOException, InterruptedException {
    return start("mw.example", List.of(
        "--mx-host=mx.mw.example,mail.mw.example,10",
        "--mx-host=nullmx.mw.example,.,0",
        "--mx-host=mixed.mw.example,.,0", "--mx-host=mixed.mw.example,mail.mw.example,10",
        "--mx-host=mixed2.mw.example,mail.mw.example,10", "--mx-host=mixed2.mw.example,.,0",
        "--host-record=a.mw.example,192.0.2.1",
        "--host-record=aaaa.mw.example,2001:db8::1",
        "--txt-record=none.mw.example,nothing here",
        "--mx-host=burst.mw.example,mail.mw.example,10"),
        List.of("timeout.mw.example"), List.of("servfail.mw.example"));
  }

  /**
   * Starts the server.
   *
   * @param zone the zone it answers for locally, for example {@code mw.example}
   * @param records dnsmasq options with the zone's data ({@code --mx-host=...}, {@code --host-record=...})
   * @param timingOut names under the zone whose queries are never answered
   * @param failing names under the zone whose queries are answered SERVFAIL
   */
  public static DnsServer start(String zone, List<String> records, List<String> timingOut,
      List<String> failing) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException("dnsmasq is not installed (" + BINARY + "): install the Debian "
          + "package 'dnsmasq-base' (scripts/test installs it when run as root)");
    }
    Path dir = Files.createTempDirectory("dnsmasq");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    List<Process> processes = new ArrayList<>();
    try {
      int upstreamPort = -1;
      if (!failing.isEmpty()) {
        List<String> data = new ArrayList<>();
        for (String name : failing) {
          data.add("--local=/" + name + "/");
          data.add("--mx-host=" + name + ",mail." + name + ",10");
        }
        Started upstream = launch(dir, "upstream", data);
        processes.add(upstream.process);
        upstreamPort = upstream.port;
      }
      List<String> options = new ArrayList<>(List.of("--local=/" + zone + "/", "--local-ttl=60"));
      options.addAll(records);
      for (String name : timingOut) {
        options.add("--server=/" + name + "/127.0.0.1#" + blackHole.getLocalPort());
      }
      if (!failing.isEmpty()) {
        options.add("--dnssec");
        options.add("--trust-anchor=" + ROOT_ANCHOR);
        for (String name : failing) {
          // a made-up DS digest: the unsigned answers from upstream cannot match it
          options.add("--trust-anchor=" + name + ",12345,8,2," + "00".repeat(32));
          options.add("--server=/" + name + "/127.0.0.1#" + upstreamPort);
        }
      }
      Started main = launch(dir, "main", options);
      processes.add(main.process);
      return new DnsServer(dir, main.log, processes, blackHole, main.port);
    } catch (IOException | RuntimeException | InterruptedException e) {
      processes.forEach(Process::destroyForcibly);
      blackHole.close();
      throw e;
    }
  }

  private record Started(Process process, int port, Path log) {}

  private static Started launch(Path dir, String name, List<String> options)
      throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    String failure = "";
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      Files.deleteIfExists(log);
      Files.createFile(log);
      Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
      List<String> cmd = new ArrayList<>(List.of(BINARY, "--keep-in-foreground", "--port=" + port,
          "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
          "--conf-file=/dev/null", "--pid-file=", "--log-queries", "--log-facility=" + log));
      if ("root".equals(System.getProperty("user.name"))) {
        cmd.addAll(List.of("--user=nobody", "--group=nogroup"));
      }
      cmd.addAll(options);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve(name + ".out").toFile()).start();
      if (answers(p, port)) {
        return new Started(p, port, log);
      }
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      failure = Files.readString(dir.resolve(name + ".out")) + Files.readString(log);
    }
    throw new IOException("dnsmasq did not start: " + failure);
  }

  /** Waits until the server answers a query (any answer will do). */
  private static boolean answers(Process p, int port) throws IOException, InterruptedException {
    SimpleResolver probe = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    probe.setTimeout(Duration.ofMillis(200));
    Message query = Message.newQuery(Record.newRecord(Name.fromString("probe.invalid."), Type.A, DClass.IN));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try {
        probe.send(query);
        return true;
      } catch (IOException e) {
        Thread.sleep(20);
      }
    }
    return false;
  }

  /** Returns {@code 127.0.0.1:port}, the value for {@code dns.servers}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Returns the port the server listens on (UDP and TCP), on 127.0.0.1. */
  public int port() {
    return port;
  }

  /**
   * Returns how many queries of a type for a name the server has received. Asks the server a
   * marker query first and waits until it is logged, so every earlier query is in the log.
   */
  public long queries(String type, String name) throws IOException, InterruptedException {
    String marker = "marker-" + System.nanoTime() + ".invalid";
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(Duration.ofSeconds(2));
    Message answer = r.send(Message.newQuery(
        Record.newRecord(Name.fromString(marker + "."), Type.A, DClass.IN)));
    if (answer.getRcode() == Rcode.SERVFAIL) {
      throw new IOException("dnsmasq failed the marker query");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!Files.readString(log, StandardCharsets.UTF_8).contains("query[A] " + marker + " ")) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the marker query never reached dnsmasq's log " + log);
      }
      Thread.sleep(10);
    }
    String needle = "query[" + type + "] " + name + " from ";
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains(needle)).count();
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    blackHole.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static int freePort() throws IOException {
    // dnsmasq needs the port free for both UDP and TCP
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
          return port;
        } catch (IOException e) {
          // taken for UDP; try another
        }
      }
    }
    throw new IOException("no loopback port free for both UDP and TCP");
  }
}
