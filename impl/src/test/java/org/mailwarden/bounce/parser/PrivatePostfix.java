package org.mailwarden.bounce.parser;

import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postfix instance under a temporary folder (DESIGN.md, "Real components in tests"): smtpd
 * on a free loopback port, domains relayed to next hops given by the test, one domain aliased, and the
 * bounce domain {@code bounces.example.com} delivered by {@code virtual(8)} to a maildir, so the
 * bounces Postfix writes can be read as files. No DNS is asked; nothing listens beyond 127.0.0.1.
 *
 * <p>It starts Postfix's {@code master} directly (after creating the queue folders itself) rather
 * than through {@code postfix start}, whose installation check takes about ten seconds here. Postfix
 * runs as root only; {@link #available()} says whether this machine can run one.
 */
final class PrivatePostfix implements AutoCloseable {
  static final String BOUNCE_DOMAIN = "bounces.example.com";
  static final String SENDER = "app@" + BOUNCE_DOMAIN;
  private static final Path MASTER = Path.of("/usr/lib/postfix/sbin/master");
  private static final Path POSTFIX = Path.of("/usr/sbin/postfix");

  private final Path dir;
  private final int port;

  private PrivatePostfix(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Whether Postfix is installed and this process may start it (it must be root). */
  static boolean available() {
    return Files.isExecutable(MASTER) && Files.isExecutable(POSTFIX)
        && "root".equals(System.getProperty("user.name"));
  }

  /**
   * Starts an instance.
   *
   * @param transports next hop by relayed domain, in {@code transport(5)} form, for example
   *     {@code smtp:[127.0.0.1]:2525}; a domain whose next hop starts with {@code softbounce:} goes
   *     through an SMTP client with {@code soft_bounce = yes}
   * @param aliases address rewritten to another by {@code virtual_alias_maps} (forwarding), by address
   */
  static PrivatePostfix start(Map<String, String> transports, Map<String, String> aliases)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("postfix");
    // Postfix's daemons drop to the postfix user, and virtual(8) to nobody: both must reach their folders
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    int port = freePort();
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path queue = Files.createDirectories(dir.resolve("queue"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Path mail = Files.createDirectories(dir.resolve("mail"));
    Files.setPosixFilePermissions(mail, PosixFilePermissions.fromString("rwxrwxrwx"));
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal postfix = users.lookupPrincipalByName("postfix");
    GroupPrincipal postdrop = users.lookupPrincipalByGroupName("postdrop");
    Files.setOwner(data, postfix);
    for (String d : List.of("active", "bounce", "corrupt", "defer", "deferred", "flush", "hold", "incoming",
        "private", "saved", "trace")) {
      Path p = Files.createDirectory(queue.resolve(d));
      Files.setOwner(p, postfix);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }
    for (String d : List.of("maildrop", "public")) {
      Path p = Files.createDirectory(queue.resolve(d));
      PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
      view.setOwner(postfix);
      view.setGroup(postdrop);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(d.equals("maildrop") ? "rwx-wx---" : "rwx--x---"));
    }
    Files.createDirectory(queue.resolve("pid"));

    List<String> relayed = new ArrayList<>(transports.keySet());
    StringBuilder transportMap = new StringBuilder();
    transports.forEach((domain, hop) -> transportMap.append(transportMap.length() == 0 ? "" : ", ")
        .append(domain).append('=').append(hop));
    StringBuilder aliasMap = new StringBuilder();
    List<String> aliasDomains = new ArrayList<>();
    aliases.forEach((from, to) -> {
      aliasMap.append(aliasMap.length() == 0 ? "" : ", ").append(from).append('=').append(to);
      String domain = from.substring(from.indexOf('@') + 1);
      if (!aliasDomains.contains(domain)) {
        aliasDomains.add(domain);
      }
    });
    Files.writeString(conf.resolve("main.cf"), """
        compatibility_level = 3.6
        queue_directory = %1$s/queue
        data_directory = %1$s/data
        maillog_file = %1$s/maillog
        maillog_file_prefixes = %1$s
        inet_interfaces = 127.0.0.1
        inet_protocols = ipv4
        myhostname = mta.example.net
        mydomain = example.net
        mydestination =
        mynetworks = 127.0.0.0/8
        smtpd_relay_restrictions = permit_mynetworks, reject
        smtp_dns_support_level = disabled
        relay_domains = %2$s
        transport_maps = inline:{ %3$s }
        virtual_alias_domains = %4$s
        virtual_alias_maps = inline:{ %5$s }
        virtual_mailbox_domains = %6$s
        virtual_mailbox_base = %1$s/mail
        virtual_mailbox_maps = inline:{ %7$s=app/ }
        virtual_uid_maps = static:65534
        virtual_gid_maps = static:65534
        # warnings (Action: delayed) after one second, and retries every second, so a test sees one
        delay_warning_time = 1s
        queue_run_delay = 1s
        minimal_backoff_time = 1s
        maximal_backoff_time = 1s
        biff = no
        """.formatted(dir, String.join(", ", relayed), transportMap, String.join(", ", aliasDomains), aliasMap,
        BOUNCE_DOMAIN, SENDER));
    Files.writeString(conf.resolve("master.cf"), """
        127.0.0.1:%d inet n - n - - smtpd
        pickup     unix n - n 60 1 pickup
        cleanup    unix n - n - 0 cleanup
        qmgr       unix n - n 300 1 qmgr
        rewrite    unix - - n - - trivial-rewrite
        bounce     unix - - n - 0 bounce
        defer      unix - - n - 0 bounce
        trace      unix - - n - 0 bounce
        verify     unix - - n - 1 verify
        flush      unix n - n 1000? 0 flush
        proxymap   unix - - n - - proxymap
        smtp       unix - - n - - smtp
        softbounce unix - - n - - smtp -o soft_bounce=yes
        relay      unix - - n - - smtp
        showq      unix n - n - - showq
        error      unix - - n - - error
        retry      unix - - n - - error
        discard    unix - - n - - discard
        virtual    unix - n n - - virtual
        anvil      unix - - n - 1 anvil
        scache     unix - - n - 1 scache
        postlog    unix-dgram n - n - 1 postlogd
        """.formatted(port));
    // a main.cf newer than a few seconds makes every Postfix command wait for the clock to pass it
    FileTime past = FileTime.from(Instant.now().minusSeconds(60));
    Files.setLastModifiedTime(conf.resolve("main.cf"), past);
    Files.setLastModifiedTime(conf.resolve("master.cf"), past);

    PrivatePostfix instance = new PrivatePostfix(dir, port);
    Process master = new ProcessBuilder(MASTER.toString(), "-c", conf.toString(), "-w")
        .redirectErrorStream(true).redirectOutput(dir.resolve("master.out").toFile()).start();
    if (!master.waitFor(20, TimeUnit.SECONDS) || master.exitValue() != 0) {
      String log = instance.log();
      instance.close();
      throw new IOException("postfix master did not start: " + log);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return instance;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          String log = instance.log();
          instance.close();
          throw new IOException("postfix smtpd did not listen: " + log, e);
        }
        Thread.sleep(20);
      }
    }
  }

  /** The port smtpd listens on, on 127.0.0.1. */
  int port() {
    return port;
  }

  /** The messages delivered to {@link #SENDER}'s maildir so far. */
  List<byte[]> bounces() throws IOException {
    Path box = dir.resolve("mail").resolve("app").resolve("new");
    if (!Files.isDirectory(box)) {
      return List.of();
    }
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(box)) {
      for (Path f : files.sorted().toList()) {
        out.add(Files.readAllBytes(f));
      }
    }
    return out;
  }

  /** Postfix's log, for failure messages. */
  String log() throws IOException {
    Path log = dir.resolve("maillog");
    Path out = dir.resolve("master.out");
    return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(log) ? Files.readString(log) : "");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Path pid = dir.resolve("queue").resolve("pid").resolve("master.pid");
    if (Files.exists(pid)) {
      String masterPid = Files.readString(pid).strip();
      Process stop = new ProcessBuilder(POSTFIX.toString(), "-c", dir.resolve("conf").toString(), "stop")
          .redirectErrorStream(true).redirectOutput(dir.resolve("stop.out").toFile()).start();
      stop.waitFor(20, TimeUnit.SECONDS);
      // the master this instance started, by its pid: wait until it and its children are gone
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!masterPid.isEmpty() && Files.exists(Path.of("/proc", masterPid)) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
