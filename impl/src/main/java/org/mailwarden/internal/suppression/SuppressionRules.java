package org.mailwarden.internal.suppression;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * What a failure means for the suppression list. Pure functions, no state.
 *
 * <ul>
 *   <li>A hard bounce ({@link BouncedRecipient#hard()}) or a complaint ({@code feedback}): suppress at once.
 *   <li>A delivery, delay, relay or expansion report, or an auto-reply ({@code vacation}): nothing.
 *   <li>A failure caused by the sender or its path, not the recipient (blocked, bad reputation,
 *       authentication, spam or content, relaying, rate, TLS, ...): nothing, so a blocklisted
 *       sending IP never suppresses good addresses.
 *   <li>Any other failure: soft, counted toward {@code suppression.soft-threshold}.
 *   <li>A server's RCPT reply: a 5xx with an enhanced status {@code 5.1.x} about the recipient
 *       suppresses at once; {@code 5.1.7} and {@code 5.1.8} (the sender) and {@code x.7.x}
 *       (policy and security, greylisting among them) are nothing; every other 5xx and every 4xx
 *       is soft.
 * </ul>
 */
public final class SuppressionRules {
  private static final Pattern ENHANCED = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");

  /** What to do with one failure. */
  public enum Verdict {
    /** Put the address on the list now. */
    SUPPRESS,
    /** Count it toward the soft threshold. */
    SOFT,
    /** Not a failure. */
    IGNORE
  }

  /** Reasons that say something about the sender or its path, never about the recipient. */
  private static final java.util.Set<BounceReason> SENDER_SIDE = java.util.EnumSet.of(
      BounceReason.BLOCKED, BounceReason.BADREPUTATION, BounceReason.REQUIREPTR,
      BounceReason.AUTHFAILURE, BounceReason.REJECTED, BounceReason.NORELAYING,
      BounceReason.SPEEDING, BounceReason.TOOMANYCONN, BounceReason.FAILEDSTARTTLS,
      BounceReason.SECURITYERROR, BounceReason.SPAMDETECTED, BounceReason.VIRUSDETECTED,
      BounceReason.CONTENTERROR, BounceReason.POLICYVIOLATION, BounceReason.NOTCOMPLIANTRFC,
      BounceReason.MESGTOOBIG, BounceReason.SYNTAXERROR, BounceReason.NETWORKERROR);

  private SuppressionRules() {}

  /** Judges a recipient of a parsed bounce, complaint or auto-reply. */
  public static Verdict of(BouncedRecipient bounce) {
    if (bounce.reason() == BounceReason.FEEDBACK) {
      return Verdict.SUPPRESS;
    }
    if (bounce.reason() == BounceReason.DELIVERED || bounce.reason() == BounceReason.VACATION) {
      return Verdict.IGNORE;
    }
    switch (bounce.action().trim().toLowerCase(Locale.ROOT)) {
      case "delivered", "relayed", "expanded", "delayed" -> {
        return Verdict.IGNORE;
      }
      default -> {
        if (bounce.hard()) {
          return Verdict.SUPPRESS;
        }
        return SENDER_SIDE.contains(bounce.reason()) ? Verdict.IGNORE : Verdict.SOFT;
      }
    }
  }

  /**
   * Judges a server's refusal of a recipient.
   *
   * @param replyCode the SMTP reply code, for example 550
   * @param response the server's reply text, which may carry an enhanced status code
   */
  public static Verdict ofReply(int replyCode, String response) {
    String status = enhancedStatus(response);
    if (status != null && (status.substring(1).startsWith(".7.") || status.equals("5.1.7")
        || status.equals("5.1.8"))) {
      return Verdict.IGNORE;
    }
    if (replyCode >= 500 && replyCode < 600) {
      if (status != null && status.startsWith("5.1.") && !status.equals("5.1.7")
          && !status.equals("5.1.8")) {
        return Verdict.SUPPRESS;
      }
      return Verdict.SOFT;
    }
    return replyCode >= 400 && replyCode < 500 ? Verdict.SOFT : Verdict.IGNORE;
  }

  /** Returns the first enhanced status code (RFC 3463) in a reply text, or null. */
  static String enhancedStatus(String response) {
    if (response == null) {
      return null;
    }
    Matcher m = ENHANCED.matcher(response);
    return m.find() ? m.group() : null;
  }

  /** Returns the source recorded for a bounce: {@code complaint} or {@code bounce}. */
  static String source(BouncedRecipient bounce) {
    return bounce.reason() == BounceReason.FEEDBACK ? "complaint" : "bounce";
  }

  /** Returns a short reason text for a bounce: the Sisimai reason, the status and the diagnostic. */
  static String describe(BouncedRecipient bounce) {
    StringBuilder sb = new StringBuilder(bounce.reason().code());
    if (bounce.feedbackType() != null) {
      sb.append(" (").append(bounce.feedbackType()).append(')');
    }
    if (bounce.replyCode() > 0) {
      sb.append(' ').append(bounce.replyCode());
    }
    if (!bounce.status().isEmpty()) {
      sb.append(' ').append(bounce.status());
    }
    if (!bounce.diagnostic().isEmpty()) {
      sb.append(": ").append(bounce.diagnostic());
    }
    return clip(sb.toString());
  }

  /** Returns a reason text for a server refusal, single-line and bounded in length. */
  static String describeReply(String response) {
    return clip(response == null ? "refused" : response.strip());
  }

  private static String clip(String s) {
    String flat = s.replaceAll("[\\p{Cntrl}]+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
