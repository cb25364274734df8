package org.mailwarden.bounce.parser;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.internal.bounce.BounceAnalyzer;

/**
 * Reads a raw bounce message and returns one {@link BouncedRecipient} per recipient it reports.
 *
 * <p>Understood: delivery-status reports (RFC 3464, RFC 6522 {@code multipart/report}), qmail's QSBMF
 * and the free-text bounces of the common MTAs and mailbox providers, complaint reports (ARF, RFC 5965,
 * reason {@link BounceReason#FEEDBACK} with the feedback type), and auto-replies (RFC 3834, reason
 * {@link BounceReason#VACATION}). A message that is none of these gives an empty list. Success reports
 * ({@code Action: delivered}, {@code expanded}, {@code relayed}) give records with reason
 * {@link BounceReason#DELIVERED}: they are not failures. A record names the address the sender used:
 * a report's {@code Original-Recipient} before its {@code Final-Recipient} (the address after forwarding
 * or aliasing), and the address a forwarded one was generated from. Challenge-response and allow-list
 * requests give an empty list.
 *
 * <p>Bounces are input from strangers, so the parser is defensive: it reads at most
 * {@value BounceAnalyzer#MAX_MESSAGE} bytes of a message and at most 64 KB of each MIME part, walks at
 * most 256 parts, scans bounded text with patterns that cannot backtrack catastrophically, and throws
 * nothing but the {@link IOException} of the stream it reads. CRLF, CR and LF line ends give the same
 * result. The Message-ID of a record is given without angle brackets.
 *
 * <p>Instances are immutable and thread-safe; the class has only static methods.
 */
public final class BounceParser {
  private BounceParser() {}

  /**
   * Parses the message read from {@code raw} (not closed).
   *
   * @throws IOException if reading the stream fails
   */
  public static List<BouncedRecipient> parse(InputStream raw) throws IOException {
    Objects.requireNonNull(raw, "raw");
    byte[] bytes = raw.readNBytes(BounceAnalyzer.MAX_MESSAGE);
    return parse(bytes);
  }

  /** Parses the message in {@code raw}; never throws for any content. */
  public static List<BouncedRecipient> parse(byte[] raw) {
    Objects.requireNonNull(raw, "raw");
    try {
      return List.copyOf(BounceAnalyzer.analyze(raw, raw.length));
    } catch (RuntimeException | StackOverflowError e) {
      // a defect of ours must not become the caller's problem with a message from a stranger
      return List.of();
    }
  }
}
