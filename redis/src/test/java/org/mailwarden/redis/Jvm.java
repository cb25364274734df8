package org.mailwarden.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A separate JVM running a test class's {@code main} with this JVM's class path. */
final class Jvm {
  private final Process process;
  private final Path output;
  private long[] window = {Long.MAX_VALUE, 0};

  private Jvm(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static Jvm start(Class<?> main, String... args) throws IOException {
    Path output = Files.createTempFile("mailwarden-jvm", ".out");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new Jvm(p, output);
  }

  /** Returns the first and last send attempt (epoch millis) a worker reported with a WINDOW line. */
  long[] window() {
    return window;
  }

  /** Waits (at most 60 s) until the JVM has printed a line. */
  void awaitLine(String line) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.readString(output).lines().anyMatch(line::equals)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the worker JVM exited before printing " + line + ":\n" + Files.readString(output));
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the worker JVM did not print " + line + " within 60 s:\n" + Files.readString(output));
  }

  /** Waits for the JVM to exit (at most 60 s) and returns its {@code RESULT} lines, prefix removed. */
  List<String> results() throws IOException, InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the worker JVM did not finish within 60 s:\n" + Files.readString(output));
    }
    String text = Files.readString(output);
    Files.deleteIfExists(output);
    if (process.exitValue() != 0) {
      throw new AssertionError("the worker JVM exited with " + process.exitValue() + ":\n" + text);
    }
    text.lines().filter(l -> l.startsWith("WINDOW ")).findFirst().ifPresent(l -> {
      String[] parts = l.split(" ");
      window = new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    });
    return text.lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.substring(7)).toList();
  }
}
