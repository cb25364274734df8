package org.mailwarden.internal.bounce;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.bounce.BounceReason;

/**
 * What particular receiving systems mean by their own codes and words, where that differs from what
 * the same words mean elsewhere. Each rule names the provider, the hosts it applies to (the
 * Remote-MTA, the Reporting-MTA, the host the text says answered, or the recipient's domain) and the
 * public documentation of the meaning. A rule applies to any message that carries the provider's
 * code or comes from its hosts, never to a particular sample.
 */
final class Providers {
  private Providers() {}

  /**
   * Orange and Wanadoo (France): every refusal ends with an Orange error code, {@code OFR_506} or
   * {@code OFR005_505}, whose last three digits are documented on Orange's postmaster page ("codes
   * d'erreur"). Only the codes whose meaning differs from the words around them matter here; the
   * others agree with the generic rules and are listed so a reader sees the whole family.
   */
  private static final Map<String, BounceReason> ORANGE = Map.of(
      // "Client host blocked for spamming issues": the sending IP is on Orange's own list
      "102", BounceReason.BLOCKED,
      // "Adresse destinataire invalide. Invalid recipient"
      "416", BounceReason.USERUNKNOWN,
      // "Le compte du destinataire est bloque. The recipient account is blocked"
      "426", BounceReason.SUSPEND,
      // "Service refuse. Veuillez essayer plus tard": the receiving service is overloaded, a temporary
      // fault of Orange's system, not a verdict on the sender (OFR_999 with the same words is)
      "505", BounceReason.SYSTEMERROR,
      // "Mail rejete. Mail rejected": the message was classified as spam by Orange's content filter
      "506", BounceReason.SPAMDETECTED,
      // "Service refuse": the sending host is refused
      "999", BounceReason.BLOCKED);

  private static final Pattern ORANGE_CODE = Pattern.compile("\\bofr\\d{0,3}_(\\d{3})\\b");

  /** A user-unknown reply that names the address refused: {@code 550 <a@b>: User unknown}. */
  private static final Pattern NAMED_UNKNOWN = Pattern.compile("<[^<>\\s]{1,64}@[^<>\\s]{1,255}>:? ?user unknown");

  /** An enhanced status code of the mailbox subject (X.2.x, RFC 3463). */
  private static final Pattern MAILBOX_STATUS = Pattern.compile("^[45]\\.2\\.\\d{1,3}$");

  /**
   * Returns the reason the provider's documented meaning gives, or {@code generic} when no provider
   * rule applies.
   *
   * @param hosts the host names the bounce names (Reporting-MTA, Remote-MTA, the answering host, the
   *     recipient's domain), lower case, separated by spaces
   * @param diagnostic the remote server's words, as {@link Reasons} reads them
   */
  static BounceReason adjust(BounceReason generic, String hosts, String status, String diagnostic,
      Reasons.Command command) {
    String d = diagnostic.length() > 2048 ? diagnostic.substring(0, 2048).toLowerCase(Locale.ROOT)
        : diagnostic.toLowerCase(Locale.ROOT);
    if (generic == BounceReason.DELIVERED) {
      return generic;
    }
    if (d.contains("'send mail as'") || d.contains("customfromdenied")) {
      // Gmail's "Send mail as" (help page p=CustomFromDenied): the address the user sends from is not
      // accepted by the SMTP server configured for it; whatever step the error came at, the sender is
      // refused
      return BounceReason.REJECTED;
    }
    Matcher orange = ORANGE_CODE.matcher(d);
    if (orange.find()) {
      BounceReason r = ORANGE.get(orange.group(1));
      if (r != null) {
        return r;
      }
    }
    if (on(hosts, "ezweb.ne.jp") || on(hosts, "au.com")) {
      // KDDI au: a mailbox that does not exist is answered "550 <address>: User unknown" at RCPT; a
      // message the recipient's own filter (the "designated reception" settings au's users set) refuses
      // is answered with the same words but no address, "550 : User unknown", after DATA, and au's own
      // bounces say the recipient "was rejected" without a code
      if (NAMED_UNKNOWN.matcher(d).find()) {
        return BounceReason.USERUNKNOWN;
      }
      if (d.contains("550 : user unknown")
          || !Codes.hasCode(d) && d.contains("was rejected") && generic == BounceReason.REJECTED) {
        return BounceReason.FILTERED;
      }
    }
    if (on(hosts, "docomo.ne.jp") && (generic == BounceReason.FILTERED || generic == BounceReason.USERUNKNOWN)
        && d.contains("unknown user") && command == Reasons.Command.DATA && !MAILBOX_STATUS.matcher(status).matches()) {
      // NTT docomo documents that mail refused by the recipient's reception settings (senders or domains
      // the user blocked) is answered "550 Unknown user" at the end of DATA: the sender is refused, the
      // address exists
      return BounceReason.REJECTED;
    }
    if ((on(hosts, "hotmail.com") || on(hosts, "outlook.com") || on(hosts, "live.com") || on(hosts, "msn.com"))
        && d.contains("requested action not taken: mailbox unavailable") && generic == BounceReason.FILTERED) {
      // Outlook.com (Hotmail) answers a recipient that does not exist with RFC 5321's text for 550,
      // "Requested action not taken: mailbox unavailable"; its refusals of senders carry their own codes
      // (SC-xxx, CS-xxx, 5.7.x)
      return BounceReason.USERUNKNOWN;
    }
    if (on(hosts, "messagelabs.com") && generic == BounceReason.FILTERED && d.contains("no such user")) {
      // Symantec (Broadcom) Email Security.cloud checks recipients against the customer's registered
      // addresses while the SMTP session is open ("Address Registration"): "No such user" is its
      // answer to RCPT for an address that is not registered
      return BounceReason.USERUNKNOWN;
    }
    return generic;
  }

  /** Whether {@code hosts} names {@code domain} or a host in it. */
  static boolean on(String hosts, String domain) {
    int from = 0;
    while (true) {
      int i = hosts.indexOf(domain, from);
      if (i < 0) {
        return false;
      }
      int end = i + domain.length();
      boolean startOk = i == 0 || hosts.charAt(i - 1) == '.' || hosts.charAt(i - 1) == ' '
          || hosts.charAt(i - 1) == '@';
      boolean endOk = end == hosts.length() || hosts.charAt(end) == ' ' || hosts.charAt(end) == '.'
          && (end + 1 == hosts.length() || hosts.charAt(end + 1) == ' ');
      if (startOk && endOk) {
        return true;
      }
      from = i + 1;
    }
  }
}
