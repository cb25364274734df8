package org.mailwarden.internal.policy;

import jakarta.mail.MessagingException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.DsnRequest;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.MailwardenConfig.Notify;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the DSN parameters (RFC 3461) of every message: NOTIFY and RET from the configuration,
 * whatever the application put on an {@code SMTPMessage}, and a fresh ENVID. Parameters go on the wire
 * only when the server advertises DSN; when it does not, {@code dsn.require=true} refuses the message
 * and otherwise a warning is logged once per server. It needs the connection, so it is the last link
 * before delivery: the message it sees has passed every other policy, and it is what makes the
 * transport borrow a connection ({@link Policy.Connection#open()}).
 */
public final class DsnPolicy implements Policy {
  private static final Logger log = LoggerFactory.getLogger(DsnPolicy.class);
  private static final ThreadLocal<RandomBytes> RANDOM = ThreadLocal.withInitial(RandomBytes::new);

  private final String ret;
  private final String notify;
  private final boolean envid;
  private final boolean require;
  private final Predicate<String> firstWarning;

  /**
   * @param firstWarning answers true the first time it is asked about a server (the environment's
   *     memory of warnings given), so that a server without DSN is warned about once
   */
  public DsnPolicy(Set<Notify> notify, String ret, boolean envid, boolean require,
      Predicate<String> firstWarning) {
    this.firstWarning = java.util.Objects.requireNonNull(firstWarning, "firstWarning");
    this.notify = notify.stream().sorted().map(Enum::name).collect(Collectors.joining(","));
    this.ret = ret;
    this.envid = envid;
    this.require = require;
  }

  @Override
  public String name() {
    return "dsn";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    chain.connection().open();
    if (!chain.connection().supportsExtension("DSN")) {
      String server = chain.connection().server();
      if (require) {
        throw new SendRefusedException(RefusalReason.DSN_NOT_SUPPORTED, "server " + server
            + " does not advertise DSN and dsn.require=true; nothing was sent",
            chain.outgoing().recipientArray());
      }
      if (firstWarning.test("dsn-not-advertised " + server)) {
        log.warn("SMTP server {} does not advertise DSN (RFC 3461): NOTIFY, RET and ENVID are not sent, "
            + "so bounces may carry full bodies and cannot be tied to sends; set "
            + "mail.mailwarden.dsn.require=true to refuse such servers", server);
      }
      return chain.proceed(chain.outgoing().withDsn(DsnRequest.NONE));
    }
    DsnRequest request = new DsnRequest(ret, envid ? newEnvelopeId() : null, notify, true);
    return chain.proceed(chain.outgoing().withDsn(request));
  }

  /** Returns a new random envelope identifier: 32 hexadecimal digits, valid xtext. */
  static String newEnvelopeId() {
    return RANDOM.get().nextHex16();
  }

  /**
   * Unpredictable bytes for ENVIDs, per thread: an AES-128 key stream (CTR mode, the construction of
   * NIST SP 800-90A's CTR_DRBG without its derivation function) keyed from {@link SecureRandom} and
   * re-keyed every {@value #REKEY_AFTER} refills of 1 KiB, which is cheaper per ENVID than the system
   * generator's SHA-1 mixing (BENCHMARKS.md). Each byte is used once and cleared after use.
   */
  private static final class RandomBytes {
    private static final HexFormat HEX = HexFormat.of();
    private static final int REKEY_AFTER = 64;
    private static final SecureRandom SEED = new SecureRandom();
    private final byte[] zeros = new byte[1024];
    private final byte[] buffer = new byte[1024];
    private final Cipher cipher;
    private int next = buffer.length;
    private int refills = REKEY_AFTER;

    RandomBytes() {
      try {
        cipher = Cipher.getInstance("AES/CTR/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JVM has no AES/CTR cipher (every Java SE JVM must)", e);
      }
    }

    String nextHex16() {
      if (next + 16 > buffer.length) {
        refill();
      }
      String hex = HEX.formatHex(buffer, next, next + 16);
      java.util.Arrays.fill(buffer, next, next + 16, (byte) 0);
      next += 16;
      return hex;
    }

    private void refill() {
      try {
        if (refills++ == REKEY_AFTER) {
          byte[] keyAndCounter = new byte[32];
          SEED.nextBytes(keyAndCounter);
          cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyAndCounter, 0, 16, "AES"),
              new IvParameterSpec(keyAndCounter, 16, 16));
          java.util.Arrays.fill(keyAndCounter, (byte) 0);
          refills = 1;
        }
        cipher.update(zeros, 0, zeros.length, buffer, 0);
        next = 0;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES/CTR key stream failed", e);
      }
    }
  }
}
