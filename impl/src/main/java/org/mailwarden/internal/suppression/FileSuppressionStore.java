package org.mailwarden.internal.suppression;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.CRC32;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.spi.SuppressionStore;
import org.mailwarden.suppression.Suppression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded suppression list that survives a restart ({@code suppression.store=file}): an
 * append-only journal of add and remove records, replayed into a {@link MemorySuppressionStore} at
 * start.
 *
 * <ul>
 *   <li><b>Durability</b>: every record is one line, written and forced to disk
 *       ({@link FileChannel#force}) before the call returns, so a crash never loses what was recorded.
 *   <li><b>Crash safety</b>: each line ends with a CRC-32 of its content. A line cut short by a crash
 *       (no newline, or a CRC that does not match) is ignored; trailing damage is cut off before the
 *       next append, so it can never run into a new record. Earlier records are never rewritten in
 *       place.
 *   <li><b>Compaction</b>: when the journal holds more than twice as many records as live entries
 *       (and at least 1000), the live entries are written to {@code FILE.tmp}, forced, and moved over
 *       the journal atomically; a crash during compaction leaves the old journal intact.
 *   <li><b>One writer</b>: an environment opens a file once (a registry by path, so every application
 *       and session naming the file shares one store) and holds an exclusive {@link FileLock} on
 *       {@code FILE.lock} while it is open. Another process that tries to open the same file gets an
 *       {@link IllegalStateException} naming it: give each process its own {@code suppression.file},
 *       or use a shared store.
 *   <li><b>Lazily created</b>: when the file does not exist yet, nothing is created (and no lock is
 *       taken) until the first entry is written, so an application that never records a bounce
 *       leaves no file behind.
 * </ul>
 *
 * <p>The directory and files are created readable by their owner only: they hold personal data.
 */
public final class FileSuppressionStore implements SuppressionStore {
  private static final Logger log = LoggerFactory.getLogger(FileSuppressionStore.class);
  static final String HEADER = "# mailwarden suppression journal v1";
  static final int DEFAULT_COMPACT_MIN = 1000;

  private final Path file;
  private final Path lockFile;
  private final Clock clock;
  private final int compactMin;
  private final MemorySuppressionStore index;
  /** The registry this store is open in, or null; it leaves it when closed. */
  private final ConcurrentMap<Path, FileSuppressionStore> registry;
  private FileChannel lockChannel;
  private FileLock lock;
  private FileChannel journal;
  private long records;
  private boolean closed;

  FileSuppressionStore(Path file, Clock clock, int compactMin) {
    this(file, clock, compactMin, null);
  }

  private FileSuppressionStore(Path file, Clock clock, int compactMin,
      ConcurrentMap<Path, FileSuppressionStore> registry) {
    this.registry = registry;
    this.file = file.toAbsolutePath().normalize();
    this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.compactMin = compactMin;
    this.index = new MemorySuppressionStore(clock);
    if (Files.exists(this.file)) {
      synchronized (this) {
        openJournal();
      }
    }
  }

  /**
   * Returns the store of a file, opening it at the first call with this registry (one per
   * environment); closing the store removes it from the registry.
   *
   * @param open the stores open now, by absolute normalized path
   * @throws IllegalStateException when another process holds the file, or it is not a journal
   * @throws UncheckedIOException when the file cannot be read
   */
  public static FileSuppressionStore open(Path file, Clock clock, ConcurrentMap<Path, FileSuppressionStore> open) {
    Path key = file.toAbsolutePath().normalize();
    return open.computeIfAbsent(key, f -> new FileSuppressionStore(f, clock, DEFAULT_COMPACT_MIN, open));
  }

  /** Returns the journal file. */
  public Path file() {
    return file;
  }

  @Override
  public Optional<Suppression> find(String address) {
    return index.find(address);
  }

  @Override
  public synchronized void put(Suppression entry) {
    checkOpen();
    index.put(entry);
    append(encodeAdd(entry));
  }

  @Override
  public synchronized boolean remove(String address) {
    checkOpen();
    if (!index.remove(address)) {
      return false;
    }
    append(encodeRemove(address, clock.instant()));
    return true;
  }

  @Override
  public List<Suppression> list() {
    return index.list();
  }

  /** Counts the entries of the index in memory; reads nothing from disk. */
  @Override
  public long size() {
    return index.size();
  }

  /** Returns the number of records in the journal (for tests of compaction). */
  synchronized long records() {
    return records;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (registry != null) {
      registry.remove(file, this);
    }
    try {
      if (journal != null) {
        journal.close();
      }
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      log.warn("Closing the suppression journal {} failed", file, e);
    } finally {
      journal = null;
      lock = null;
      lockChannel = null;
      index.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the suppression store of " + file + " is closed");
    }
  }

  private void append(String line) {
    try {
      if (journal == null) {
        openJournal();
      }
      write(journal, line);
      journal.force(false);
      records++;
      if (records > compactMin && records > 2 * index.size()) {
        compact();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the suppression journal " + file, e);
    }
  }

  /** Takes the lock, replays the journal (cutting off a torn tail) and positions at its end. */
  private void openJournal() {
    try {
      Path dir = file.getParent();
      if (!Files.isDirectory(dir)) {
        createPrivateDirectories(dir);
      }
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        lockChannel.close();
        lockChannel = null;
        // the cause names the key, so that a framework can say which of its settings to change
        throw new IllegalStateException("The suppression file " + file + " is in use by another "
            + "process (it holds " + lockFile + "); give each process its own "
            + "mail.mailwarden.suppression.file",
            new MailwardenConfigurationException("mail.mailwarden.suppression.file", file.toString(),
                "in use by another process (it holds " + lockFile + "); give each process its own file, "
                + "use suppression.store=memory, or a shared store"));
      }
      restrict(lockFile);
      long validEnd = Files.exists(file) ? replay() : 0;
      journal = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      restrict(file);
      if (journal.size() > validEnd) {
        log.warn("The suppression journal {} ended in an incomplete record ({} bytes); it was cut off",
            file, journal.size() - validEnd);
        journal.truncate(validEnd);
        journal.force(true);
      }
      if (validEnd == 0) {
        write(journal, HEADER + "\n");
        journal.force(true);
      }
      journal.position(journal.size());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open the suppression journal " + file, e);
    }
  }

  /** Applies every valid record to the index; returns the offset just after the last valid line. */
  private long replay() throws IOException {
    long offset = 0;
    long validEnd = 0;
    long skipped = 0;
    boolean first = true;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      int b;
      while ((b = in.read()) >= 0) {
        offset++;
        if (b != '\n') {
          line.write(b);
          continue;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (first) {
          first = false;
          if (!text.equals(HEADER)) {
            throw new IllegalStateException(file + " is not a Mailwarden suppression journal (its "
                + "first line is not '" + HEADER + "'); refusing to write to it");
          }
          validEnd = offset;
          continue;
        }
        if (apply(text)) {
          records++;
          validEnd = offset;
        } else {
          skipped++;
        }
      }
    }
    if (skipped > 0) {
      log.warn("The suppression journal {} had {} damaged records; they were ignored", file, skipped);
    }
    return validEnd;
  }

  private boolean apply(String line) {
    int crcAt = line.lastIndexOf('\t');
    if (crcAt < 0 || !crc(line.substring(0, crcAt)).equals(line.substring(crcAt + 1))) {
      return false;
    }
    String[] f = line.substring(0, crcAt).split("\t", -1);
    try {
      if (f[0].equals("+") && f.length == 6) {
        index.put(new Suppression(unescape(f[1]), unescape(f[5]), unescape(f[4]),
            Instant.ofEpochMilli(Long.parseLong(f[2])),
            f[3].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(f[3]))));
        return true;
      }
      if (f[0].equals("-") && f.length == 3) {
        index.remove(unescape(f[1]));
        return true;
      }
    } catch (RuntimeException malformed) {
      // a record with a valid CRC but bad fields: written by something else; ignored
    }
    return false;
  }

  private void compact() throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    List<Suppression> live = index.list();
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      restrict(tmp);
      StringBuilder sb = new StringBuilder(HEADER).append('\n');
      for (Suppression s : live) {
        sb.append(encodeAdd(s));
        if (sb.length() > 1 << 16) {
          write(out, sb.toString());
          sb.setLength(0);
        }
      }
      write(out, sb.toString());
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(file.getParent());
    journal.close();
    journal = FileChannel.open(file, StandardOpenOption.WRITE);
    journal.position(journal.size());
    log.debug("Compacted the suppression journal {}: {} records to {}", file, records, live.size());
    records = live.size();
  }

  static String encodeAdd(Suppression s) {
    return line("+", escape(s.address()), Long.toString(s.since().toEpochMilli()),
        s.expiresAt() == null ? "-" : Long.toString(s.expiresAt().toEpochMilli()),
        escape(s.source()), escape(s.reason()));
  }

  static String encodeRemove(String address, Instant at) {
    return line("-", escape(address), Long.toString(at.toEpochMilli()));
  }

  private static String line(String... fields) {
    String body = String.join("\t", fields);
    return body + '\t' + crc(body) + '\n';
  }

  static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  /** Makes a field safe for a tab-separated line: {@code %}, tab, CR and LF are percent-encoded. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '%' -> sb.append("%25");
        case '\t' -> sb.append("%09");
        case '\n' -> sb.append("%0A");
        case '\r' -> sb.append("%0D");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static String unescape(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static void write(FileChannel channel, String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void createPrivateDirectories(Path dir) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  private static void restrict(Path f) {
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("Could not restrict the permissions of {}", f, e);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // not every platform can open a directory; the rename itself is atomic
      log.debug("Could not force the directory {}", dir, e);
    }
  }
}
