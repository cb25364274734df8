package org.mailwarden.testing;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Postfix's {@code smtp-sink} on a free loopback port, for tests where the SMTP dialogue matters: it
 * advertises DSN (unless started with {@code -N}) and its dump file records the MAIL and RCPT
 * parameters of every message. Started per test, stopped by {@link #close()}.
 *
 * <p>It never skips: when {@code smtp-sink} is missing the test fails and names the Debian package.
 */
public final class SmtpSink implements AutoCloseable {
  private static final List<String> CANDIDATES = List.of("/usr/sbin/smtp-sink", "/usr/bin/smtp-sink",
      "/usr/lib/postfix/sbin/smtp-sink");

  private static final String MARKER_HEADER = "\nX-Marker: ";

  private Process process;
  private final Path dir;
  private final Path dump;
  private final int port;
  private List<String> flags;
  private int launches = 1;

  private SmtpSink(Process process, Path dir, Path dump, int port, List<String> flags) {
    this.process = process;
    this.dir = dir;
    this.dump = dump;
    this.port = port;
    this.flags = flags;
  }

  /** Starts smtp-sink with extra flags (for example {@code "-N"} for no DSN) and waits until it listens. */
  public static SmtpSink start(String... flags) throws IOException, InterruptedException {
    String binary = binary();
    Path dir = Files.createTempDirectory("smtp-sink");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path dump = dir.resolve("dump");
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      try {
        Process p = launch(binary, dir, dump, port, List.of(flags));
        return new SmtpSink(p, dir, dump, port, List.of(flags));
      } catch (IOException e) {
        last = e;
      }
    }
    String log = Files.exists(dir.resolve("sink.log")) ? Files.readString(dir.resolve("sink.log")) : "";
    throw new IOException("smtp-sink did not start: " + log, last);
  }

  private static Process launch(String binary, Path dir, Path dump, int port, List<String> flags)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(binary));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("-u", "nobody"));
    }
    cmd.addAll(List.of("-D", dump.toString()));
    cmd.addAll(flags);
    cmd.add("127.0.0.1:" + port);
    cmd.add("64");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sink.log").toFile())).start();
    IOException last = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return p;
      } catch (IOException e) {
        last = e;
        Thread.sleep(20);
      }
    }
    p.destroyForcibly();
    throw new IOException("smtp-sink did not listen on port " + port, last);
  }

  /**
   * Stops smtp-sink and starts it again on the same port with the same flags and dump file: every
   * connection a client held is gone, as when a relay restarts.
   */
  public void restart() throws IOException, InterruptedException {
    restart(flags.toArray(new String[0]));
  }

  /**
   * Stops smtp-sink and starts it again on the same port and dump file with other flags (for example
   * without the fault a test injected): every connection a client held is gone. Sessions and
   * commands are still counted over all runs; keep {@code -v} to count them.
   */
  public void restart(String... newFlags) throws IOException, InterruptedException {
    flags = List.of(newFlags);
    stop();
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        process = launch(binary(), dir, dump, port, flags);
        launches++;
        return;
      } catch (IOException e) {
        last = e;
        Thread.sleep(50);
      }
    }
    throw last;
  }

  /**
   * Returns how many SMTP sessions (connections) smtp-sink accepted so far; it must have been started
   * with {@code -v}, whose log has one {@code connect} line per session. The connection that checked
   * smtp-sink was listening, one per start, is not counted.
   */
  public int sessions() throws IOException {
    if (!flags.contains("-v")) {
      throw new IllegalStateException("start smtp-sink with -v to count sessions");
    }
    int n = 0;
    for (String line : Files.readAllLines(dir.resolve("sink.log"), StandardCharsets.ISO_8859_1)) {
      if (line.contains("smtp-sink: connect (")) {
        n++;
      }
    }
    return n - launches;
  }

  /** Returns how many times smtp-sink received the command (for example {@code NOOP}); needs {@code -v}. */
  public int commands(String command) throws IOException {
    if (!flags.contains("-v")) {
      throw new IllegalStateException("start smtp-sink with -v to count commands");
    }
    int n = 0;
    for (String line : Files.readAllLines(dir.resolve("sink.log"), StandardCharsets.ISO_8859_1)) {
      if (line.contains("smtp-sink: " + command)) {
        n++;
      }
    }
    return n;
  }

  /** Returns the port smtp-sink listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /**
   * Returns the messages smtp-sink received before a marker: sends one marker message to it over plain
   * SMTP (Angus Mail's {@code smtp} transport on a new connection, not through Mailwarden), waits until
   * the marker is in the dump and returns the messages dumped before it and after the previous marker,
   * if any (so a test may call it after each of several refusals).
   *
   * <p>This is the positive end of a conversation in which nothing should have arrived: smtp-sink appends
   * a message to the dump when its DATA ends, so a message whose send returned before this call is in
   * the list however slowly the dump was written, and the call cannot succeed by being early.
   *
   * @throws org.awaitility.core.ConditionTimeoutException when the marker is not dumped within 10 seconds
   */
  public List<Dumped> messagesBeforeMarker() throws MessagingException {
    String marker = UUID.randomUUID().toString();
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.smtp.localhost", "localhost"); // no look-up of this host's name for EHLO
    Session plain = Session.getInstance(p);
    MimeMessage m = new MimeMessage(plain);
    m.setFrom(new InternetAddress("marker@example.com"));
    m.setHeader("X-Marker", marker);
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("marker@example.com"));
    m.setSubject(marker);
    m.setText(marker);
    try (Transport t = plain.getTransport("smtp")) {
      t.connect();
      t.sendMessage(m, m.getAllRecipients());
    }
    List<Dumped> all = awaitDump().until(this::messages,
        l -> l.stream().anyMatch(d -> d.content().contains(marker)));
    int from = 0;
    for (int i = 0; i < all.size(); i++) {
      String content = all.get(i).content();
      if (content.contains(marker)) {
        return all.subList(from, i);
      }
      if (content.contains(MARKER_HEADER)) {
        from = i + 1;
      }
    }
    throw new AssertionError("unreachable: the marker was found");
  }

  /**
   * Waits until smtp-sink has dumped exactly {@code count} messages and returns them.
   *
   * @throws org.awaitility.core.ConditionTimeoutException when there are not exactly {@code count}
   *     within 10 seconds
   */
  public List<Dumped> awaitMessages(int count) {
    return awaitDump().until(this::messages, l -> l.size() == count);
  }

  private static ConditionFactory awaitDump() {
    return Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10));
  }

  /** Returns every message received so far, as smtp-sink dumped it. */
  public List<Dumped> messages() throws IOException {
    if (!Files.exists(dump)) {
      return List.of();
    }
    String text = Files.readString(dump, StandardCharsets.ISO_8859_1);
    List<Dumped> out = new ArrayList<>();
    for (String chunk : text.split("(?m)^(?=X-Client-Addr:)")) {
      if (!chunk.isBlank()) {
        out.add(Dumped.parse(chunk));
      }
    }
    return out;
  }

  private void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static String binary() {
    for (String c : CANDIDATES) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    throw new IllegalStateException("smtp-sink is not installed: install the Debian package 'postfix' "
        + "(scripts/test installs it when run as root)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * One message as smtp-sink recorded it.
   *
   * @param mailArgs the MAIL FROM path and parameters, for example {@code <a@b.org> RET=HDRS ENVID=x}
   * @param rcptArgs the RCPT TO path and parameters of each recipient
   * @param content the message as received (headers and body)
   */
  public record Dumped(String mailArgs, List<String> rcptArgs, String content) {
    static Dumped parse(String chunk) {
      String mail = null;
      List<String> rcpts = new ArrayList<>();
      String[] lines = chunk.split("\r?\n", -1);
      int i = 0;
      for (; i < lines.length; i++) {
        String line = lines[i];
        if (line.startsWith("X-Mail-Args: ")) {
          mail = line.substring("X-Mail-Args: ".length());
        } else if (line.startsWith("X-Rcpt-Args: ")) {
          rcpts.add(line.substring("X-Rcpt-Args: ".length()));
        } else if (!line.startsWith("X-")) {
          break;
        }
      }
      StringBuilder content = new StringBuilder();
      for (; i < lines.length; i++) {
        content.append(lines[i]).append('\n');
      }
      return new Dumped(mail, List.copyOf(rcpts), content.toString());
    }

    /** Returns the value of a MAIL FROM parameter such as {@code ENVID}, or null. */
    public String mailParameter(String name) {
      return parameter(mailArgs, name);
    }

    /** Returns the value of a RCPT TO parameter of recipient {@code index}, or null. */
    public String rcptParameter(int index, String name) {
      return parameter(rcptArgs.get(index), name);
    }

    private static String parameter(String args, String name) {
      if (args == null) {
        return null;
      }
      for (String part : args.split(" ")) {
        if (part.regionMatches(true, 0, name + "=", 0, name.length() + 1)) {
          return part.substring(name.length() + 1);
        }
      }
      return null;
    }
  }
}
