package org.mailwarden.bounce.parser;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.internal.bounce.BounceAnalyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a bounce mailbox over IMAP or POP3 (Angus Mail), parses each message with {@link BounceParser}
 * and hands every {@link BouncedRecipient} to the application; then deletes the message (default) or
 * marks it seen.
 *
 * <p>The poller never stores a returned body: each message is read through a bounded stream
 * ({@value BounceAnalyzer#MAX_MESSAGE} bytes at most), parsed in memory and dropped. What it passes on
 * besides the records is, when {@link Builder#onOriginal} is set, an excerpt of the returned original:
 * its header, plus at most {@link Builder#keepOriginalBytes} bytes of its body (0 by default: headers
 * only, the same idea as Postfix's {@code bounce_size_limit}).
 *
 * <p>{@link #pollOnce()} may be called by the application's own scheduler; {@link #start()} polls at
 * the configured interval on one daemon thread until {@link #close()}. A consumer that throws does not
 * stop the poll: the message is left in the mailbox (not deleted, not marked) and retried next time.
 * Instances are thread-safe; polls never overlap.
 */
public final class BouncePoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BouncePoller.class);

  /** What happens to a message once its records were handed over. */
  public enum AfterProcessing {
    /** Delete (IMAP: flag deleted and expunge; POP3: delete). The default. */
    DELETE,
    /** Mark it seen and leave it; the next poll skips seen messages (IMAP only). */
    MARK_SEEN
  }

  private final Builder b;
  private final Session session;
  private final Object lock = new Object();
  private ScheduledExecutorService scheduler;

  private BouncePoller(Builder b) {
    this.b = b;
    Properties p = new Properties();
    String protocol = b.protocol;
    String prefix = "mail." + protocol + ".";
    p.setProperty("mail.store.protocol", protocol);
    p.setProperty(prefix + "host", b.host);
    p.setProperty(prefix + "port", Integer.toString(b.port));
    p.setProperty(prefix + "connectiontimeout", Long.toString(b.timeout.toMillis()));
    p.setProperty(prefix + "timeout", Long.toString(b.timeout.toMillis()));
    p.setProperty(prefix + "writetimeout", Long.toString(b.timeout.toMillis()));
    if (b.tls) {
      p.setProperty(prefix + "ssl.checkserveridentity", "true");
    }
    this.session = Session.getInstance(p);
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects, processes every message of the folder (unseen ones when {@link AfterProcessing#MARK_SEEN}),
   * and disconnects.
   *
   * @return the number of messages processed
   * @throws MessagingException if the mailbox cannot be reached or read
   */
  public int pollOnce() throws MessagingException {
    synchronized (lock) {
      Store store = session.getStore(b.protocol);
      store.connect(b.host, b.port, b.user, b.password);
      try {
        Folder folder = store.getFolder(b.folder);
        folder.open(Folder.READ_WRITE);
        int processed = 0;
        try {
          Message[] messages = b.after == AfterProcessing.MARK_SEEN
              ? folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false))
              : folder.getMessages();
          for (Message m : messages) {
            if (process(m)) {
              processed++;
            }
          }
        } finally {
          folder.close(b.after == AfterProcessing.DELETE);
        }
        return processed;
      } finally {
        store.close();
      }
    }
  }

  private boolean process(Message m) throws MessagingException {
    byte[] raw;
    try {
      BoundedBuffer buf = new BoundedBuffer(BounceAnalyzer.MAX_MESSAGE);
      m.writeTo(buf);
      raw = buf.bytes();
    } catch (IOException e) {
      LOG.warn("could not read message {} of the bounce mailbox: {}", m.getMessageNumber(), e.toString());
      return false;
    }
    BounceAnalyzer.Result result = BounceAnalyzer.analyze(raw, raw.length,
        b.onOriginal == null ? -1 : b.keepOriginalBytes);
    try {
      for (BouncedRecipient r : result.recipients()) {
        b.consumer.accept(r);
      }
      if (b.onOriginal != null && !result.recipients().isEmpty()) {
        b.onOriginal.accept(result.recipients(), result.originalExcerpt());
      }
    } catch (RuntimeException e) {
      LOG.warn("bounce consumer failed on message {}; left in the mailbox: {}", m.getMessageNumber(),
          e.toString());
      return false;
    }
    m.setFlag(b.after == AfterProcessing.DELETE ? Flags.Flag.DELETED : Flags.Flag.SEEN, true);
    return true;
  }

  /** Starts polling at the configured interval on a daemon thread; the first poll runs at once. */
  public void start() {
    synchronized (this) {
      if (scheduler != null) {
        throw new IllegalStateException("already started");
      }
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mailwarden-bounce-poller");
        t.setDaemon(true);
        return t;
      });
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          pollOnce();
        } catch (MessagingException | RuntimeException e) {
          LOG.warn("bounce mailbox {}:{} poll failed: {}", b.host, b.port, e.toString());
        }
      }, 0, b.interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Stops polling; a poll in progress finishes. */
  @Override
  public void close() {
    synchronized (this) {
      if (scheduler != null) {
        scheduler.shutdown();
        scheduler = null;
      }
    }
  }

  @Override
  public String toString() {
    return "BouncePoller{" + b.protocol + "://" + b.user + "@" + b.host + ":" + b.port + "/" + b.folder
        + ", interval=" + b.interval + ", after=" + b.after + ", keepOriginalBytes=" + b.keepOriginalBytes + "}";
  }

  /** Collects at most a fixed number of bytes and silently drops the rest. */
  private static final class BoundedBuffer extends OutputStream {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private final int max;

    BoundedBuffer(int max) {
      this.max = max;
    }

    @Override
    public void write(int c) {
      if (out.size() < max) {
        out.write(c);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) {
      int n = Math.min(len, max - out.size());
      if (n > 0) {
        out.write(buf, off, n);
      }
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /**
   * Builds a {@link BouncePoller}. Required: {@link #host}, {@link #credentials} and {@link #onBounce};
   * each option may be set once.
   */
  public static final class Builder {
    private String protocol = "imap";
    private String host;
    private int port = -1;
    private String user;
    private String password;
    private String folder = "INBOX";
    private boolean tls;
    private Duration interval = Duration.ofMinutes(1);
    private Duration timeout = Duration.ofSeconds(30);
    private int keepOriginalBytes;
    private AfterProcessing after = AfterProcessing.DELETE;
    private Consumer<BouncedRecipient> consumer;
    private BiConsumer<List<BouncedRecipient>, String> onOriginal;

    private Builder() {}

    /** Sets the protocol: {@code imap} (default) or {@code pop3}. */
    public Builder protocol(String protocol) {
      String p = Objects.requireNonNull(protocol, "protocol").toLowerCase(Locale.ROOT);
      if (!p.equals("imap") && !p.equals("pop3")) {
        throw new IllegalArgumentException("protocol must be imap or pop3, was: " + protocol);
      }
      this.protocol = tls ? p + "s" : p;
      return this;
    }

    /** Sets the server; the port defaults to the protocol's (143/993 IMAP, 110/995 POP3). */
    public Builder host(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < -1 || port == 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, was: " + port);
      }
      this.port = port;
      return this;
    }

    /** Sets the mailbox login. */
    public Builder credentials(String user, String password) {
      this.user = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Sets the folder to read; default {@code INBOX} (POP3 has only INBOX). */
    public Builder folder(String folder) {
      this.folder = Objects.requireNonNull(folder, "folder");
      return this;
    }

    /** Whether to connect with implicit TLS ({@code imaps}/{@code pop3s}); default false. */
    public Builder tls(boolean tls) {
      this.tls = tls;
      this.protocol = tls ? protocol.replaceAll("s$", "") + "s" : protocol.replaceAll("s$", "");
      return this;
    }

    /** Sets the delay between polls for {@link #start()}; default one minute. */
    public Builder interval(Duration interval) {
      this.interval = positive(interval, "interval");
      return this;
    }

    /** Sets the connect, read and write timeout; default 30 seconds. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** Sets how many bytes of a returned original's body are kept; default 0 (headers only). */
    public Builder keepOriginalBytes(int bytes) {
      if (bytes < 0 || bytes > 64 * 1024) {
        throw new IllegalArgumentException("keepOriginalBytes must be 0..65536, was: " + bytes);
      }
      this.keepOriginalBytes = bytes;
      return this;
    }

    /** Sets what happens to a processed message; default {@link AfterProcessing#DELETE}. */
    public Builder afterProcessing(AfterProcessing after) {
      this.after = Objects.requireNonNull(after, "after");
      return this;
    }

    /** Sets the consumer of every bounced recipient; called on the polling thread, must be fast. */
    public Builder onBounce(Consumer<BouncedRecipient> consumer) {
      this.consumer = Objects.requireNonNull(consumer, "consumer");
      return this;
    }

    /**
     * Sets a consumer for the kept excerpt of each returned original (header, plus at most
     * {@link #keepOriginalBytes} of the body), with the records of its bounce; unset by default.
     */
    public Builder onOriginal(BiConsumer<List<BouncedRecipient>, String> onOriginal) {
      this.onOriginal = Objects.requireNonNull(onOriginal, "onOriginal");
      return this;
    }

    /**
     * Returns the poller.
     *
     * @throws IllegalStateException if host, credentials or the bounce consumer are missing, or
     *     {@link AfterProcessing#MARK_SEEN} is combined with POP3 (which has no flags)
     */
    public BouncePoller build() {
      if (host == null) {
        throw new IllegalStateException("host is required");
      }
      if (user == null) {
        throw new IllegalStateException("credentials are required");
      }
      if (consumer == null) {
        throw new IllegalStateException("onBounce consumer is required");
      }
      if (after == AfterProcessing.MARK_SEEN && protocol.startsWith("pop3")) {
        throw new IllegalStateException("MARK_SEEN needs IMAP: POP3 has no flags");
      }
      return new BouncePoller(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was: " + d);
      }
      return d;
    }
  }
}
