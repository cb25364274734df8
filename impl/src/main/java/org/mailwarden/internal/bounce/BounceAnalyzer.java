package org.mailwarden.internal.bounce;

import jakarta.mail.internet.MimeUtility;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * Turns one raw message into bounced-recipient records: complaint reports (RFC 5965), delivery-status
 * reports (RFC 3464/6522), free-text bounces (qmail's QSBMF and the MTAs' own wording), and
 * auto-replies (RFC 3834). Public only so {@code org.mailwarden.bounce.BounceParser} can call it.
 */
public final class BounceAnalyzer {
  private BounceAnalyzer() {}

  /** Largest message read; the rest is ignored. */
  public static final int MAX_MESSAGE = 8 * 1024 * 1024;

  /** Parses a message of {@code length} bytes; never throws. */
  public static List<BouncedRecipient> analyze(byte[] raw, int length) {
    return analyze(raw, length, -1).recipients();
  }

  /**
   * The records of one message and an excerpt of the original it returned: the original's header and
   * at most the requested number of bytes of its body.
   *
   * @param finalRecipients for a record whose recipient is the original address (the one the sender
   *     used) while the report also names the address it was finally delivered to after forwarding or
   *     aliasing, that final address, by the record's recipient in lower case; empty for the others
   */
  public record Result(List<BouncedRecipient> recipients, String originalExcerpt,
      Map<String, String> finalRecipients) {}

  /** Parses a message and keeps at most {@code keepBodyBytes} of the returned original's body (-1: none). */
  public static Result analyze(byte[] raw, int length, int keepBodyBytes) {
    byte[] normalized = Lines.normalize(raw, Math.min(length, MAX_MESSAGE));
    List<byte[]> messages = mboxMessages(normalized);
    if (messages.size() == 1) {
      return analyzeOne(messages.get(0), keepBodyBytes);
    }
    // an mbox file that holds several messages: each is read on its own, the records follow in order
    List<BouncedRecipient> all = new ArrayList<>();
    Map<String, String> finals = new LinkedHashMap<>();
    String excerpt = null;
    for (byte[] m : messages) {
      Result r = analyzeOne(m, keepBodyBytes);
      all.addAll(r.recipients());
      r.finalRecipients().forEach(finals::putIfAbsent);
      if (excerpt == null && !r.recipients().isEmpty()) {
        excerpt = r.originalExcerpt();
      }
    }
    return new Result(List.copyOf(all), excerpt == null ? "" : excerpt, Map.copyOf(finals));
  }

  /** Most messages read from one mbox file; the rest are ignored. */
  private static final int MAX_MBOX_MESSAGES = 64;

  /**
   * The messages of an mbox file (a "From sender date" line before each header, RFC 4155), each without
   * its "From " line; any other input is one message. A "From " line only separates messages when it
   * starts the file or follows a blank line and is followed by a header field, so that a body line that
   * starts with "From " (which mbox writers should have escaped as ">From ") does not cut a message.
   */
  static List<byte[]> mboxMessages(byte[] m) {
    if (!startsWithFrom(m, 0)) {
      return List.of(m);
    }
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < m.length - 5 && out.size() < MAX_MBOX_MESSAGES - 1; i++) {
      if (m[i - 1] == '\n' && (i < 2 || m[i - 2] == '\n') && startsWithFrom(m, i) && headerFollows(m, i)) {
        out.add(withoutMboxLine(java.util.Arrays.copyOfRange(m, start, i)));
        start = i;
      }
    }
    out.add(withoutMboxLine(java.util.Arrays.copyOfRange(m, start, m.length)));
    return out;
  }

  private static boolean startsWithFrom(byte[] m, int i) {
    return i + 5 <= m.length && m[i] == 'F' && m[i + 1] == 'r' && m[i + 2] == 'o' && m[i + 3] == 'm'
        && m[i + 4] == ' ';
  }

  /** Whether the line after the one at {@code i} is a header field ("Name: value"). */
  private static boolean headerFollows(byte[] m, int i) {
    int eol = i;
    while (eol < m.length && m[eol] != '\n') {
      eol++;
    }
    int j = eol + 1;
    int n = 0;
    while (j < m.length && n < 77 && m[j] > ' ' && m[j] < 127 && m[j] != ':') {
      j++;
      n++;
    }
    return n > 0 && j < m.length && m[j] == ':';
  }

  private static Result analyzeOne(byte[] message, int keepBodyBytes) {
    Evidence ev = Evidence.read(message);
    Context cx = new Context(ev);
    List<BouncedRecipient> out = analyze(cx);
    Map<String, String> finals = new LinkedHashMap<>();
    for (BouncedRecipient b : out) {
      String f = cx.finalNames.get(b.recipient().toLowerCase(Locale.ROOT));
      if (f != null) {
        finals.put(b.recipient().toLowerCase(Locale.ROOT), f);
      }
    }
    return new Result(out, keepBodyBytes < 0 ? "" : ev.originalExcerpt(keepBodyBytes), Map.copyOf(finals));
  }

  /** Drops the "From sender date" line that mbox files put before the header. */
  private static byte[] withoutMboxLine(byte[] m) {
    if (m.length > 5 && m[0] == 'F' && m[1] == 'r' && m[2] == 'o' && m[3] == 'm' && m[4] == ' ') {
      for (int i = 5; i < m.length; i++) {
        if (m[i] == '\n') {
          return java.util.Arrays.copyOfRange(m, i + 1, m.length);
        }
      }
    }
    return m;
  }

  private static List<BouncedRecipient> analyze(Context cx) {
    Evidence ev = cx.ev;
    if (isFeedback(ev)) {
      return feedback(cx);
    }
    if (ev.dsnRecipients.isEmpty()) {
      for (String text : ev.texts) {
        if (containsIgnoreCase(text, "final-recipient:") || containsIgnoreCase(text, "original-recipient:")) {
          ev.blocks(Lines.split(text, FreeText.MAX_LINES));
        }
      }
    }
    if (ev.dsnRecipients.isEmpty() && (ev.disposition || ev.reportType.equals("disposition-notification"))) {
      // a disposition notification (RFC 8098: displayed, deleted, dispatched, processed) tells what the
      // recipient did with a message that was delivered; whatever its words, nothing failed
      return List.of();
    }
    List<BouncedRecipient> out = new ArrayList<>();
    if (!ev.dsnRecipients.isEmpty()) {
      out = fromDsn(cx);
    }
    if (out.isEmpty()) {
      out = SesNotification.read(ev.texts);
    }
    if (out.isEmpty() && ev.dsnRecipients.isEmpty() && cx.challenge()) {
      // a challenge-response or allow-list request: the message waits for the sender to prove itself,
      // nothing failed and no address is bad
      return List.of();
    }
    if (out.isEmpty() && ev.dsnRecipients.isEmpty() && cx.unsubscribeRequest()) {
      return optOut(cx);
    }
    if (out.isEmpty() && ev.dsnRecipients.isEmpty() && cx.autoReply()) {
      return vacation(cx);
    }
    if (out.isEmpty() && ev.dsnRecipients.isEmpty()) {
      List<BouncedRecipient> list = listRefusal(cx);
      if (!list.isEmpty()) {
        return list;
      }
    }
    if (out.isEmpty() && ev.dsnRecipients.isEmpty() && cx.notABounce()) {
      return List.of();
    }
    if (out.isEmpty() && cx.bounceLike()) {
      out = fromText(cx);
    }
    return out;
  }

  // ---------------------------------------------------------------- mailing-list managers

  /** Header fields that a mailing-list manager writes on its own notices (fml, Mailman, ezmlm, Sympa). */
  private static final String[] LIST_MANAGER_FIELDS = {"X-MLServer", "X-ML-Name", "X-ML-Info",
      "X-Mailman-Version", "Mailing-List", "List-Id", "X-Sympa-To", "X-Listserver"};

  /** Local parts of the addresses a list manager sends its own notices from (not a member's posting). */
  private static final Pattern LIST_MANAGER_SENDER = Pattern.compile(
      "(?:admin|owner|request|bounces?|mailman|majordomo|listserv|sympa|ezmlm|fml|daemon|postmaster)[^@\\s]*@");

  /**
   * Why a list manager refused a posting: the poster is not a member (fml's "You are not a member of
   * this mailing list", Mailman's "non-members are not allowed to post", ezmlm's and Sympa's "only
   * subscribers may post"), or the posting came round again (fml's "Loop Alert: Duplicated
   * Message-ID", a "mail loop detected" of the others).
   */
  private static final List<Map.Entry<BounceReason, String[]>> LIST_REFUSALS = List.of(
      Map.entry(BounceReason.REJECTED, new String[] {"not a member", "not member", "non-member", "non member",
          "only members may", "only subscribers may", "not subscribed to", "not allowed to post",
          "not authorized to send mail to", "do not have permission to post"}),
      Map.entry(BounceReason.SYSTEMERROR, new String[] {"loop alert", "mail loop", "loop detected",
          "duplicated message-id"}));

  /** A notice that a posting is held for a moderator is not a refusal: it may still be delivered. */
  private static final String[] LIST_HOLDS = {"held for", "being held", "held until", "awaits", "awaiting",
      "moderator", "approval", "pending"};

  /**
   * A mailing-list manager's notice that it refused a posting: one record for the list address (the
   * address the sender mailed), which the notice names in angle brackets or in {@code List-Post}. The
   * refusal must be said in the subject or at the head of the notice, so that a list's ordinary
   * posting whose footer mentions members is not taken for one.
   */
  private static List<BouncedRecipient> listRefusal(Context cx) {
    Fields top = cx.ev.top;
    boolean manager = false;
    for (String f : LIST_MANAGER_FIELDS) {
      manager |= top.has(f);
    }
    if (!manager || cx.splits().isEmpty() || !LIST_MANAGER_SENDER.matcher(top.lower("From")).find()) {
      return List.of();
    }
    List<String> explanation = cx.splits().get(0).explanation();
    StringBuilder head = new StringBuilder(cx.subject()).append(' ');
    int lines = 0;
    for (String line : explanation) {
      if (!line.isBlank() && lines++ < 4) {
        head.append(line.strip().toLowerCase(Locale.ROOT)).append(' ');
      }
    }
    String said = head.toString();
    for (String hold : LIST_HOLDS) {
      if (said.contains(hold)) {
        return List.of();
      }
    }
    BounceReason reason = null;
    for (Map.Entry<BounceReason, String[]> e : LIST_REFUSALS) {
      for (String w : e.getValue()) {
        if (reason == null && said.contains(w)) {
          reason = e.getKey();
        }
      }
    }
    if (reason == null) {
      return List.of();
    }
    Set<String> notices = new HashSet<>();
    List<String> own = new ArrayList<>();
    addAddresses(own, top.get("To"));
    addAddresses(own, top.get("From"));
    own.forEach(a -> notices.add(a.toLowerCase(Locale.ROOT)));
    String list = null;
    Matcher m = BRACKETED.matcher(String.join("\n", explanation.subList(0, Math.min(explanation.size(), 40))));
    while (list == null && m.find()) {
      String a = FreeText.clean(m.group(1));
      if (a != null && !notices.contains(a.toLowerCase(Locale.ROOT))) {
        list = a;
      }
    }
    if (list == null) {
      List<String> post = new ArrayList<>();
      addAddresses(post, top.get("List-Post"));
      list = post.isEmpty() ? null : post.get(0);
    }
    if (list == null) {
      return List.of();
    }
    String messageId = cx.messageId();
    if (messageId == null) {
      messageId = stripId(top.get("In-Reply-To"));
    }
    if (messageId == null) {
      messageId = stripId(top.get("References"));
    }
    return List.of(new BouncedRecipient(list, "failed", "", 0, oneLine(String.join(" ", explanation)), reason,
        false, null, messageId, null));
  }

  /** An address in angle brackets. */
  private static final Pattern BRACKETED = Pattern.compile("<([^<>\\s]{3,254})>");

  // ---------------------------------------------------------------- complaint reports

  private static boolean isFeedback(Evidence ev) {
    if (ev.reportType.equals("feedback-report") || !ev.feedback.isEmpty()) {
      return true;
    }
    // Hotmail's older complaint format: the complained-about message attached, nothing else
    String subject = ev.top.lower("Subject");
    return subject.contains("complaint about message") && !ev.original.isEmpty();
  }

  private static List<BouncedRecipient> feedback(Context cx) {
    Fields f = cx.ev.feedback;
    String type = f.lower("Feedback-Type").strip();
    if (type.isEmpty()) {
      type = "abuse";
    }
    List<String> rcpts = new ArrayList<>();
    for (String v : f.all("Original-Rcpt-To")) {
      addAddresses(rcpts, v);
    }
    for (String v : f.all("Removal-Recipient")) {
      addAddresses(rcpts, v);
    }
    if (rcpts.isEmpty()) {
      addAddresses(rcpts, cx.original().get("To"));
    }
    String envid = cx.envelopeId();
    if (envid == null) {
      envid = clean(f.get("Original-Envelope-Id"));
    }
    String diag = cx.ev.texts.isEmpty() ? "" : oneLine(cx.ev.texts.get(0));
    List<BouncedRecipient> out = new ArrayList<>();
    for (String r : rcpts) {
      out.add(new BouncedRecipient(r, "", "", 0, diag, BounceReason.FEEDBACK, false, envid,
          cx.messageId(), type));
    }
    return out;
  }

  /**
   * A request to unsubscribe sent to a {@code List-Unsubscribe} mailto address (RFC 2369) by a mail
   * client: the person who sent it asked not to be mailed again, a complaint of type opt-out.
   */
  private static List<BouncedRecipient> optOut(Context cx) {
    List<String> from = new ArrayList<>();
    addAddresses(from, cx.ev.top.get("From"));
    if (from.isEmpty()) {
      return List.of();
    }
    String diag = cx.ev.texts.isEmpty() ? "" : oneLine(cx.ev.texts.get(0));
    return List.of(new BouncedRecipient(from.get(0), "", "", 0, diag, BounceReason.FEEDBACK, false, null,
        stripId(cx.ev.top.get("In-Reply-To")), "opt-out"));
  }

  // ---------------------------------------------------------------- RFC 3464 reports

  private static List<BouncedRecipient> fromDsn(Context cx) {
    Map<String, BouncedRecipient> out = new LinkedHashMap<>();
    String envid = cx.envelopeId();
    List<Fields> blocks = new ArrayList<>();
    for (Fields block : cx.ev.dsnRecipients) {
      blocks.addAll(block.splitAt("Final-Recipient"));
    }
    for (Fields r : blocks) {
      // the address the sender used: Original-Recipient (RFC 3464 2.3.1, the ORCPT the sender gave, or
      // the address as it arrived at the reporting MTA), else Final-Recipient (after any forwarding or
      // aliasing, RFC 3464 2.3.2)
      String fin = address(r.get("Final-Recipient"));
      String recipient = address(r.get("Original-Recipient"));
      if (recipient == null || FreeText.clean(recipient) == null
          || fin != null && fin.replace("\"", "").equalsIgnoreCase(recipient.replace("\"", ""))) {
        // no usable original, or the same address with its quotes dropped: the final one spells it right
        recipient = fin;
      }
      if (recipient == null) {
        continue;
      }
      if (fin != null && !fin.equalsIgnoreCase(recipient)) {
        cx.finalNames.putIfAbsent(recipient.toLowerCase(Locale.ROOT), fin);
      }
      String action = r.lower("Action").strip();
      String diag = diagnostic(r.get("Diagnostic-Code"));
      boolean program = r.lower("Diagnostic-Code").strip().startsWith("x-unix");
      String context = cx.textFor(fin != null ? fin : recipient);
      if (diag.isEmpty()) {
        diag = oneLine(context);
      }
      String status = Codes.field(r.get("Status"));
      String inText = Codes.lastStatus(diag);
      if (!inText.isEmpty() && !(Codes.isGeneric(inText) && !status.isEmpty())
          && !(action.startsWith("delayed") && status.startsWith("4") && !inText.startsWith("4"))) {
        // the code the remote server gave is more precise than the reporting MTA's summary, unless the
        // summary is a warning about a refusal the reporting MTA holds back and retries (Postfix's
        // soft_bounce turns 5.1.1 into 4.1.1): for now it is a 4.x.x failure
        status = inText;
      }
      int reply = Codes.reply(diag);
      BounceReason reason = Reasons.classify(action, status, reply, diag, Reasons.command(diag),
          Reasons.command(context));
      BounceReason words = Reasons.byText(diag);
      if (program && reason != BounceReason.DELIVERED && (words == null || words == BounceReason.SYSTEMERROR)) {
        // Diagnostic-Code type X-Unix with no words, or only a generic "temporary failure": a local
        // program (a mailer, a filter) failed, and its exit code or summary is all the report gives
        reason = BounceReason.MAILERERROR;
      }
      Reasons.Command step = Reasons.command(diag) != Reasons.Command.NONE ? Reasons.command(diag)
          : Reasons.command(context);
      reason = Providers.adjust(reason, hosts(r.get("Remote-MTA"), cx.ev.dsnMessage.get("Reporting-MTA"),
          recipient, fin, hostsIn(diag)), status, diag, step);
      out.putIfAbsent(recipient.toLowerCase(Locale.ROOT), new BouncedRecipient(recipient, action, status,
          reply, diag, reason, hard(reason, action, status, reply), envid,
          cx.messageId(), null));
    }
    return new ArrayList<>(out.values());
  }

  /**
   * Whether the record is a hard bounce: the reason says the address is bad, and the failure is final.
   * A warning ({@code Action: delayed}, RFC 3464 2.3.3: the MTA is still trying) and a temporary
   * failure ({@code 4.x.x}, {@code 4xx}) are never hard, whatever the words, so a transient refusal
   * never suppresses an address.
   */
  static boolean hard(BounceReason reason, String action, String status, int reply) {
    boolean temporary = action.toLowerCase(Locale.ROOT).startsWith("delayed") || status.startsWith("4")
        || reply / 100 == 4;
    return !temporary && reason.isHard(reply, status.isEmpty() ? null : status);
  }

  /**
   * Words of a warning: the sending MTA still holds the message and keeps trying (Postfix "Delayed
   * Mail (still being retried)", Exim "Warning: message ... delayed", Sendmail "Warning: could not
   * send message for past N hours", Exchange "Delivery has been delayed").
   */
  private static final String[] STILL_TRYING = {"still being retried", "will keep trying", "will continue to try",
      "will be retried", "will retry", "delivery attempts will continue", "has not yet been delivered",
      "not been delivered yet", "delivery is delayed", "delivery has been delayed", "no action is required on your part",
      // MDaemon "will continue to try to deliver"; Domino "The router will continue trying"
      "will continue trying",
      // the same in localised notices: German ("still trying", "not yet delivered"), French, Spanish
      "versucht es weiterhin", "wird weiterhin versucht", "noch nicht zugestellt",
      "nouvelles tentatives", "pas encore \u00e9t\u00e9 remis", "se seguir\u00e1 intentando", "todav\u00eda no se ha entregado",
      // Italian, Dutch, Portuguese, Japanese ("not yet delivered", "retrying")
      "non \u00e8 ancora stato recapitato", "continuer\u00e0 a provare", "nog niet afgeleverd", "ainda n\u00e3o foi entregue",
      "novas tentativas", "\u307e\u3060\u914d\u4fe1\u3055\u308c\u3066\u3044\u307e\u305b\u3093", "\u518d\u9001\u3092\u8a66\u307f"};

  /**
   * Words by which a notice says it is only a warning (Sendmail's "THIS IS A WARNING MESSAGE ONLY", Postfix's
   * "THIS IS A WARNING ONLY", Gmail's, MDaemon's "This is a WARNING message only"): they win over wording
   * that elsewhere means the MTA gave up (Postfix's warning says the message "could not be delivered for
   * more than 4 hour(s)").
   */
  private static final String[] WARNING_ONLY = {"this is a warning message only", "this is a warning only",
      "is a warning message only", "you do not need to resend", "it will be retried until",
      // German, French, Spanish, Italian, Dutch, Portuguese
      "nur eine warnung", "ceci est un avertissement", "esto es solo un aviso", "esto es s\u00f3lo un aviso",
      "questo \u00e8 solo un avviso", "dit is alleen een waarschuwing", "este \u00e9 apenas um aviso",
      // Exchange's "THIS IS A WARNING MESSAGE ONLY" variants and "YOU DO NOT NEED TO RESEND YOUR MESSAGE"
      "warning message only", "is a warning only", "no need to resend", "don't need to resend"};

  /**
   * Returns "relayed" or "delivered" when a free-text notice says the delivery succeeded (Exchange
   * 2000/2003: "Your message has been successfully relayed to the following recipients", "Delivery to
   * the following recipients succeeded"), else null.
   */
  private static String successAction(String explanation, String subject) {
    if (succeeded(explanation)) {
      return explanation.contains("relay") || subject.contains("relay") ? "relayed" : "delivered";
    }
    if (Codes.hasCode(explanation)) {
      return null;
    }
    if (containsAny(explanation, new String[] {"successfully relayed", "relay to the following recipients succeeded"})) {
      return "relayed";
    }
    if (containsAny(explanation, new String[] {"delivery to the following recipients succeeded",
        "delivery to the following recipient succeeded", "was successfully delivered to the following",
        "has been successfully delivered to the following"})) {
      return "delivered";
    }
    return null;
  }

  /** "Delayed" in the subjects of localised warnings: German, French, Spanish, Italian, Dutch, Portuguese. */
  private static final String[] DELAY_SUBJECTS = {"verz\u00f6gert", "retard\u00e9", "retrasad", "ritardat",
      "vertraagd", "atrasad",
      // Japanese "delay" (配信遅延, "delivery delay")
      "\u9045\u5ef6"};

  /**
   * Words of success notices written in prose: Gmail's and Exchange 2003's "Delivery Status
   * Notification (Relay)" ("successfully relayed to the following recipients"), Exchange's "Relayed:"
   * ("was delivered to the following recipient(s), but no delivery notification was sent"), the
   * "Delivery to the following recipients was successful" of "(Success)" notices.
   */
  private static final String[] SUCCEEDED = {"successfully relayed", "successfully delivered",
      "delivered successfully", "was successful", "were successful", "successful delivery",
      "was delivered to the following", "has been delivered to the following", "delivered to these recipients",
      "delivery to these recipients or groups is complete", "relayed to the following"};

  /** Words of a failure; a notice with any of them, or with a 4xx/5xx code, is no success notice. */
  private static final String[] FAILED = {"fail", "undeliver", "not delivered", "not be delivered", "could not",
      "couldn't", "unable", "error", "reject", "refused", "unknown", "not found", "does not exist", "denied",
      "bounce", "invalid", "problem"};

  /**
   * Words by which a notice without any SMTP code says a message failed, waits or was delivered, in the
   * languages of the free-text bounces. Words such as "delivery" or "problem" alone are not among them:
   * ticket systems and lures use them too.
   */
  private static final String[] CODELESS_FAILURE = {"fail", "undeliv", "not deliver", "not be deliver",
      "delivered", "successful", "not be sent", "not reach", "n't reach", "malformed", "incorrect",
      "syntax", "could not", "couldn't", "unable to", "error", "reject", "refuse",
      "unknown", "not found", "not exist", "n't exist", "denied", "bounce", "invalid", "permanent",
      "temporar", "returned", "delay", "expired", "full", "quota", "exceed", "disabled", "suspend",
      "no such", "blocked", "timed out", "timeout", "retry", "retried", "unavailable", "not accept",
      "relayed", "sorry", "unfortunately", "warning", "spam", "virus", "not allowed", "prohibited",
      "too large", "loop", "giving up", "gave up", "remis", "zustell", "konnte nicht", "fehl",
      // Japanese: "could not be delivered", "could not be sent", "does not exist", "error"
      "\u914d\u4fe1\u3067\u304d\u307e\u305b\u3093", "\u9001\u4fe1\u3067\u304d\u307e\u305b\u3093",
      "\u5b58\u5728\u3057\u307e\u305b\u3093", "\u30a8\u30e9\u30fc",
      "no se pudo", "entregar", "recapit", "consegn", "impossible", "\u00e9chec", "echec",
      "\u5931\u6557", "\u30a8\u30e9\u30fc", "\u5c4a", "\u9001\u4fe1", "\u9000\u4fe1"};

  /** Whether the explanation reports a success and no failure. */
  private static boolean succeeded(String explanation) {
    if (!containsAny(explanation, SUCCEEDED) || containsAny(explanation, FAILED)) {
      return false;
    }
    int reply = Codes.reply(explanation);
    return Codes.lastStatus(explanation).isEmpty() && (reply == 0 || reply < 400);
  }

  /** Words by which the sending MTA says it stopped trying, whatever the class of the last error. */
  private static final String[] GIVEN_UP = {"not going to try again", "giving up", "gave up", "will not be retried",
      "permanent error", "permanent fatal", "failed permanently", "could not be delivered for", "deleted from queue",
      // the headings of final notices, whatever the class of the last reply; the delay notices of the
      // same systems say "Delivery is delayed to these recipients" and "could not be delivered for more
      // than N hour(s)" (a WARNING_ONLY notice outranks these words).
      // Exchange's final notice for a message that expired in its queue ("Delivery has failed to these
      // recipients", "QUEUE.Expired; message expired"), whatever the 4.x.x code it quotes
      "delivery has failed", "queue.expired", "message expired", "stopped trying",
      // the final notices of Postfix ("I'm sorry to have to inform you that your message could not be
      // delivered to one or more recipients"), Exim ("could not be delivered to one or more of its
      // recipients") and Sendmail; their warnings say "has not yet been delivered" or "THIS IS A WARNING"
      "could not be delivered to one or more", "sorry to have to inform you"};

  private static boolean containsAny(String text, String[] words) {
    for (String w : words) {
      if (text.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** A host name the text says answered: "host mx.example.org[192.0.2.1]", "host: mx.example.org". */
  private static final java.util.regex.Pattern HOST_IN_TEXT = java.util.regex.Pattern.compile(
      "(?i)\\bhost:? ([a-z0-9-]{1,63}(?:\\.[a-z0-9-]{1,63}){1,8})");

  private static String hostsIn(String text) {
    Matcher m = HOST_IN_TEXT.matcher(text.length() > 4096 ? text.substring(0, 4096) : text);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8 && m.find(); i++) {
      sb.append(m.group(1)).append(' ');
    }
    return sb.toString();
  }

  /**
   * The host names and domains a bounce names, lower case and separated by spaces, for the rules of
   * {@link Providers}: MTA fields, addresses (their domains), hosts the text names.
   */
  private static String hosts(String... values) {
    StringBuilder sb = new StringBuilder();
    for (String v : values) {
      if (v == null) {
        continue;
      }
      String t = v.length() > 1024 ? v.substring(0, 1024) : v;
      for (int i = 0; i < t.length(); i++) {
        char c = Character.toLowerCase(t.charAt(i));
        sb.append(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' ? c : ' ');
      }
      sb.append(' ');
    }
    return sb.toString();
  }

  private static String diagnostic(String field) {
    if (field == null) {
      return "";
    }
    String d = field.strip();
    int semi = d.indexOf(';');
    if (semi > 0 && semi < 20 && d.substring(0, semi).indexOf(' ') < 0) {
      d = d.substring(semi + 1).strip();
    }
    return d;
  }

  // ---------------------------------------------------------------- free text

  private static List<BouncedRecipient> fromText(Context cx) {
    List<FreeText.Found> found = new ArrayList<>();
    for (FreeText.Split split : cx.splits()) {
      if (cx.ev.original.isEmpty() && !split.original().isEmpty()) {
        cx.ev.original = split.original();
        cx.senders = null;
      }
      found.addAll(FreeText.recipients(split.explanation(), cx.senders()));
      if (!found.isEmpty()) {
        break;
      }
    }
    if (found.isEmpty()) {
      List<String> rcpts = new ArrayList<>();
      addAddresses(rcpts, cx.ev.top.get("X-Failed-Recipients"));
      if (rcpts.isEmpty()) {
        // a bounce to its own failed recipient (a forward loop, a test to oneself): the recipient is also
        // the bounce's To, which the first pass left out as the sender. An address the text names as the
        // sender ("not accepting mail from app@...", "Sender: app@...") is still not a recipient
        for (FreeText.Split split : cx.splits()) {
          Set<String> excluded = FreeText.namedAsSender(split.explanation());
          found.addAll(FreeText.recipients(split.explanation(), excluded));
          if (!found.isEmpty()) {
            break;
          }
        }
      }
      if (found.isEmpty() && rcpts.isEmpty() && (cx.fromDaemon() || cx.postmasterNotice())) {
        addAddresses(rcpts, cx.original().get("To"));
      }
      String all = cx.splits().isEmpty() ? "" : cx.splits().get(0).explanation().stream()
          .map(String::strip).reduce((a, b) -> a + " " + b).orElse("");
      for (String r : rcpts) {
        found.add(new FreeText.Found(r, all.length() > 4096 ? all.substring(0, 4096) : all));
      }
    }
    String envid = cx.envelopeId();
    String explanation = cx.textFor("").toLowerCase(Locale.ROOT);
    if (!cx.ev.top.has("X-Failed-Recipients") && !Codes.hasCode(explanation)
        && !containsAny(explanation, CODELESS_FAILURE) && !containsAny(explanation, WARNING_ONLY)
        && !containsAny(explanation, STILL_TRYING) && !containsAny(explanation, GIVEN_UP)
        && !containsAny(cx.subject(), DELAY_SUBJECTS) && successAction(explanation, cx.subject()) == null
        && Reasons.byText(explanation) == null) {
      // no code, no failed-recipients field and no words that say a message failed or waits (a subject
      // alone proves nothing: lures copy bounce subjects): an address printed under a label
      // ("Support: help@...", "Case owner: ...") in mail that only looks like a daemon's (a phishing
      // "quota warning", a "pending messages" lure, a ticket notification) is no evidence of a failure
      return List.of();
    }
    // a notice that says it is only a warning is one, even when it says for how long the message "could
    // not be delivered" (Postfix, Sendmail, Exchange, qmail patches, Domino)
    boolean warningOnly = containsAny(explanation, WARNING_ONLY);
    boolean givenUp = !warningOnly && containsAny(explanation, GIVEN_UP);
    boolean delayed = warningOnly || !givenUp && (cx.subject().contains("delay")
        || containsAny(cx.subject(), DELAY_SUBJECTS) || containsAny(explanation, STILL_TRYING));
    // a success notice in free text (Exchange 2000/2003's "Delivery Status Notification (Relay)" and
    // "(Success)"): like a report's Action: relayed / delivered, it is not a failure
    String succeeded = delayed || givenUp ? null : successAction(explanation, cx.subject());
    Map<String, BouncedRecipient> out = new LinkedHashMap<>();
    for (FreeText.Found named : found) {
      FreeText.Found f = named;
      String original = FreeText.generatedFrom(named.text(), named.address());
      if (original != null) {
        // "final@b (generated from original@a)": the sender used the original address
        cx.finalNames.putIfAbsent(original.toLowerCase(Locale.ROOT), named.address());
        f = new FreeText.Found(original, named.text());
      }
      String diag = oneLine(f.text());
      String status = Codes.status(diag);
      int reply = Codes.reply(diag);
      String action = succeeded != null ? succeeded
          : delayed || !givenUp && (status.startsWith("4") || status.isEmpty() && reply / 100 == 4)
          ? "delayed" : "failed";
      Reasons.Command aroundCommand = Reasons.command(cx.textFor(named.address()));
      if (aroundCommand == Reasons.Command.NONE) {
        aroundCommand = Reasons.summaryCommand(cx.textFor(""));
      }
      BounceReason reason = Reasons.classify(action, status, reply, diag, Reasons.command(diag), aroundCommand);
      if (reason == BounceReason.ONHOLD) {
        // nothing in the recipient's own lines: the explanation around them (often written above the
        // list of recipients) applies to all of them
        String around = oneLine(cx.textFor(""));
        BounceReason general = Reasons.classify(action, status.isEmpty() ? Codes.status(around) : status,
            reply == 0 ? Codes.reply(around) : reply, around, Reasons.command(around), Reasons.Command.NONE);
        if (general != BounceReason.ONHOLD) {
          reason = general;
        }
      }
      reason = Providers.adjust(reason, hosts(f.address(), named.address(), cx.ev.top.get("From"), hostsIn(diag)),
          status, diag, Reasons.command(diag) != Reasons.Command.NONE ? Reasons.command(diag)
              : Reasons.command(cx.textFor(named.address())));
      if (reason == BounceReason.ONHOLD && f.address().toLowerCase(Locale.ROOT).endsWith("@googlegroups.com")) {
        // Google Groups refuses posts from non-members in the local language, with no code
        reason = BounceReason.REJECTED;
      }
      out.putIfAbsent(f.address().toLowerCase(Locale.ROOT), new BouncedRecipient(f.address(), action,
          status, reply, diag, reason, hard(reason, action, status, reply), envid,
          cx.messageId(), null));
    }
    return new ArrayList<>(out.values());
  }

  // ---------------------------------------------------------------- auto-replies

  private static List<BouncedRecipient> vacation(Context cx) {
    List<String> from = new ArrayList<>();
    addAddresses(from, cx.ev.top.get("From"));
    if (from.isEmpty()) {
      return List.of();
    }
    String diag = cx.ev.texts.isEmpty() ? "" : oneLine(cx.ev.texts.get(0));
    return List.of(new BouncedRecipient(from.get(0), "", "", 0, diag, BounceReason.VACATION, false, null,
        stripId(cx.ev.top.get("In-Reply-To")), null));
  }

  // ---------------------------------------------------------------- helpers

  static void addAddresses(List<String> out, String value) {
    if (value == null) {
      return;
    }
    Matcher m = FreeText.ADDRESS.matcher(value.length() > 4096 ? value.substring(0, 4096) : value);
    while (m.find() && out.size() < 200) {
      String a = FreeText.clean(m.group());
      if (a != null && out.stream().noneMatch(a::equalsIgnoreCase)) {
        out.add(a);
      }
    }
  }

  private static String address(String field) {
    if (field == null) {
      return null;
    }
    // a DSN address field is "type; address": take it whole when it is one token (quoted local parts,
    // dotless domains such as "user@mailhub0")
    String v = field.substring(field.indexOf(';') + 1).strip();
    if (v.startsWith("<") && v.endsWith(">")) {
      v = v.substring(1, v.length() - 1).strip();
    }
    int at = v.lastIndexOf('@');
    if (at > 0 && at < v.length() - 1 && v.length() <= 320 && v.charAt(0) != '@'
        && v.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>' || c == ':' || c == ',')) {
      return v;
    }
    if (v.startsWith("\"") && at > 1 && v.charAt(at - 1) == '"' && v.length() <= 320
        && v.substring(1, at - 1).chars().noneMatch(c -> c < ' ' || c == '"')
        && v.substring(at + 1).chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>' || c == ',')) {
      // a quoted local part with spaces (RFC 5321 Quoted-string): "jane doe"@example.org
      return v;
    }
    List<String> out = new ArrayList<>(1);
    addAddresses(out, field);
    return out.isEmpty() ? null : out.get(0);
  }

  static String oneLine(String s) {
    String capped = s.length() > 4096 ? s.substring(0, 4096) : s;
    StringBuilder sb = new StringBuilder(capped.length());
    boolean space = false;
    for (int i = 0; i < capped.length(); i++) {
      char c = capped.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String clean(String v) {
    if (v == null) {
      return null;
    }
    String s = v.strip();
    if (s.length() > 256) {
      s = s.substring(0, 256);
    }
    return s.isEmpty() ? null : s;
  }

  static String stripId(String v) {
    String s = clean(v);
    if (s == null) {
      return null;
    }
    int lt = s.indexOf('<');
    int gt = s.indexOf('>', Math.max(lt, 0));
    if (lt >= 0 && gt > lt) {
      s = s.substring(lt + 1, gt);
    }
    s = s.strip();
    return s.isEmpty() || s.indexOf(' ') >= 0 ? null : s;
  }

  private static boolean containsIgnoreCase(String text, String lowerNeedle) {
    String t = text.length() > Evidence.PART_CAP ? text.substring(0, Evidence.PART_CAP) : text;
    return t.toLowerCase(Locale.ROOT).contains(lowerNeedle);
  }

  /** The message being analysed, with lazily derived facts. */
  private static final class Context {
    final Evidence ev;
    /** Final addresses by original address (lower case), for records that report the original. */
    final Map<String, String> finalNames = new LinkedHashMap<>();
    Set<String> senders;

    Context(Evidence ev) {
      this.ev = ev;
    }

    Fields original() {
      if (ev.original.isEmpty()) {
        for (FreeText.Split s : splits()) {
          if (!s.original().isEmpty()) {
            ev.original = s.original();
            break;
          }
        }
      }
      return ev.original;
    }

    private Map<String, String> textBlocks;
    private List<FreeText.Split> splits;

    /** Each text part split into its explanation and the returned original's header, computed once. */
    List<FreeText.Split> splits() {
      if (splits == null) {
        splits = new ArrayList<>();
        for (String text : ev.texts) {
          splits.add(FreeText.split(text));
        }
      }
      return splits;
    }

    /** Returns the free-text block that names this recipient, or the whole explanation. */
    String textFor(String recipient) {
      if (textBlocks == null) {
        textBlocks = new LinkedHashMap<>();
        for (FreeText.Split split : splits()) {
          StringBuilder all = new StringBuilder();
          for (String line : split.explanation()) {
            if (all.length() < 8192) {
              all.append(line.strip()).append(' ');
            }
          }
          textBlocks.putIfAbsent("", all.toString());
          for (FreeText.Found f : FreeText.recipients(split.explanation(), Set.of())) {
            textBlocks.putIfAbsent(f.address().toLowerCase(Locale.ROOT), f.text());
          }
        }
      }
      String t = textBlocks.get(recipient.toLowerCase(Locale.ROOT));
      return t != null ? t : textBlocks.getOrDefault("", "");
    }

    String messageId() {
      return stripId(original().get("Message-ID"));
    }

    String envelopeId() {
      String v = clean(ev.dsnMessage.get("Original-Envelope-Id"));
      if (v == null) {
        for (Fields r : ev.dsnRecipients) {
          v = clean(r.get("Original-Envelope-Id"));
          if (v != null) {
            break;
          }
        }
      }
      if (v == null) {
        v = clean(ev.feedback.get("Original-Envelope-Id"));
      }
      if (v == null) {
        for (String text : ev.texts) {
          int i = indexOfIgnoreCase(text, "original-envelope-id:");
          if (i >= 0) {
            int end = text.indexOf('\n', i);
            v = clean(text.substring(i + 21, end < 0 ? Math.min(text.length(), i + 300) : end));
            break;
          }
        }
      }
      return v == null ? null : v.split("\\s", 2)[0];
    }

    Set<String> senders() {
      if (senders == null) {
        Set<String> s = new HashSet<>();
        List<String> list = new ArrayList<>();
        addAddresses(list, ev.top.get("To"));
        addAddresses(list, ev.top.get("From"));
        Fields o = original();
        addAddresses(list, o.get("From"));
        addAddresses(list, o.get("Return-Path"));
        addAddresses(list, o.get("Sender"));
        for (FreeText.Split split : splits()) {
          String t = String.join("\n", split.explanation());
          t = t.length() > Evidence.PART_CAP ? t.substring(0, Evidence.PART_CAP) : t;
          String lower = t.toLowerCase(Locale.ROOT);
          int i = 0;
          int guard = 0;
          while ((i = lower.indexOf("mail from:", i)) >= 0 && guard++ < 50) {
            addAddresses(list, t.substring(i + 10, Math.min(t.length(), i + 300)).split("[>\\s]", 3)[0]
                + " " + firstToken(t.substring(i + 10, Math.min(t.length(), i + 300))));
            i += 10;
          }
        }
        for (String a : list) {
          s.add(a.toLowerCase(Locale.ROOT));
        }
        senders = s;
      }
      return senders;
    }

    private static String firstToken(String s) {
      String t = s.strip();
      if (t.startsWith("<")) {
        int gt = t.indexOf('>');
        return gt > 0 ? t.substring(1, gt) : t;
      }
      int sp = t.indexOf(' ');
      return sp > 0 ? t.substring(0, sp) : t;
    }

    String subject() {
      String s = ev.top.get("Subject");
      if (s == null) {
        return "";
      }
      try {
        s = MimeUtility.decodeText(s);
      } catch (java.io.UnsupportedEncodingException | RuntimeException e) {
        // keep the raw text
      }
      return s.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a postmaster or a groupware's system account (Exchange's "System Administrator") sent a
     * notice whose subject says the mail was not delivered: such NDRs often name the recipient only by
     * display name ("did not reach the following recipient(s): Fred Green") and return the original.
     */
    boolean postmasterNotice() {
      String from = ev.top.lower("From");
      if (!from.contains("postmaster") && !from.contains("system administrator")) {
        return false;
      }
      String subject = subject();
      for (String w : new String[] {"undeliver", "returned mail", "not delivered", "delivery fail",
          "delivery status notification (failure)", "non remis", "unzustellbar", "onbestelbaar",
          "no se puede entregar", "mancato recapito", "non-delivery", "nondelivery"}) {
        if (subject.contains(w)) {
          return true;
        }
      }
      return false;
    }

    boolean fromDaemon() {
      String from = ev.top.lower("From");
      return from.contains("mailer-daemon") || from.contains("mail delivery") || from.contains("mailerdaemon");
    }

    boolean bounceLike() {
      if (fromDaemon() || ev.top.has("X-Failed-Recipients")) {
        return true;
      }
      String from = ev.top.lower("From");
      String rp = ev.top.lower("Return-Path").strip();
      String subject = subject();
      boolean systemSender = from.contains("postmaster") || rp.equals("<>") || rp.isEmpty()
          || from.contains("daemon") || from.contains("<>");
      for (String w : new String[] {"undeliver", "delivery", "failure", "failed", "returned mail",
          "could not", "not delivered", "non remis", "unzustellbar", "bounce", "mail error",
          "non-delivery", "nondelivery", "permanent", "rejected", "returned", "warning", "error",
          "unable to deliver", "delivery status", "notification"}) {
        if (subject.contains(w)) {
          return true;
        }
      }
      if (systemSender) {
        return true;
      }
      for (String text : ev.texts) {
        if (containsIgnoreCase(text, "qmail-send program")) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether the message asks the sender to confirm itself before delivery (challenge-response systems,
     * allow-list requests) and carries no SMTP reply code, as a refusal would.
     */
    boolean challenge() {
      for (FreeText.Split split : splits()) {
        String t = String.join(" ", split.explanation());
        t = (t.length() > Evidence.PART_CAP ? t.substring(0, Evidence.PART_CAP) : t).toLowerCase(Locale.ROOT);
        if (Codes.hasCode(t)) {
          return false;
        }
        for (String w : CHALLENGE) {
          if (t.contains(w) || subject().contains(w)) {
            return true;
          }
        }
      }
      return false;
    }

    /**
     * Whether the message is a mail client's unsubscribe request: Apple Mail marks the one it sends to
     * a list's mailto unsubscribe address with {@code X-Apple-Unsubscribe: true}; other clients send a
     * message whose subject is the word "unsubscribe" (the usual {@code ?subject=} of the mailto URL).
     */
    boolean unsubscribeRequest() {
      if (fromDaemon() || ev.top.lower("From").contains("postmaster")) {
        return false;
      }
      return ev.top.lower("X-Apple-Unsubscribe").strip().equals("true") || subject().strip().equals("unsubscribe");
    }

    /**
     * Whether the message is an auto-reply (an out-of-office notice, an automatic acknowledgement): marked
     * by RFC 3834's header or an older responder's, by a subject that says so, or by the out-of-office
     * words that start its text. Never a message from a mail system (a daemon, a postmaster) or one that
     * names failed recipients: a bounce of an auto-reply, or a bounce that quotes one, is a bounce.
     */
    boolean autoReply() {
      String from = ev.top.lower("From");
      if (fromDaemon() || from.contains("postmaster") || from.contains("post_master")
          || ev.top.has("X-Failed-Recipients")) {
        return false;
      }
      String as = ev.top.lower("Auto-Submitted");
      if (as.startsWith("auto-replied") || ev.top.has("X-Autoreply") || ev.top.has("X-Autorespond")
          || ev.top.has("X-Autoresponder") || ev.top.has("X-AutoReply-From") || ev.top.has("X-Mail-Autoreply")
          || ev.top.lower("X-Autogenerated").contains("reply")
          || ev.top.lower("Precedence").strip().equals("auto_reply")) {
        // RFC 3834's Auto-Submitted, and the headers older responders write instead (vacation(1)'s
        // Precedence, cPanel's and Zimbra's X-Autorespond/X-Autoreply, X-Autogenerated: Reply)
        return true;
      }
      String subject = subject();
      int auto = firstIndexOf(subject, AUTO_REPLY_SUBJECT);
      if (auto >= 0) {
        // "Undeliverable: Automatic reply: ..." is a bounce of an auto-reply: a failure word before the
        // auto-reply's own words says whose notice this is
        int failure = firstIndexOf(subject, BOUNCE_SUBJECT);
        return failure < 0 || failure > auto;
      }
      // no header, no subject (clients that reply with "Re:" and the text alone): the first lines say
      // the person is away; an enhanced status code there would make it a mail system's report
      for (FreeText.Split split : splits()) {
        String t = String.join(" ", split.explanation());
        t = (t.length() > 1200 ? t.substring(0, 1200) : t).toLowerCase(Locale.ROOT);
        if (containsAny(t, AWAY) && Codes.status(t).isEmpty()) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether the message, which has no report and is no auto-reply, is mail that mail systems and
     * people send to a sender without any delivery having failed (see {@link #listMail()} and
     * {@link #humanReply()}).
     */
    boolean notABounce() {
      return listMail() || humanReply();
    }

    /**
     * A list's post, digest, administrative notice or a newsletter: it carries the list header fields
     * (RFC 2369 {@code List-*}, RFC 2919 {@code List-Id}), Mailman's {@code X-List-Administrivia} or
     * {@code Precedence: bulk/list}, and comes from neither a mail system nor with failed recipients. A
     * bounce carries these fields only in its returned original (a part), never at its top.
     */
    boolean listMail() {
      if (mailSystem() || ev.top.has("X-Failed-Recipients")) {
        return false;
      }
      if (ev.top.has("List-Id") || ev.top.has("List-Unsubscribe") || ev.top.has("List-Post")
          || ev.top.has("X-List-Administrivia")) {
        return true;
      }
      // Precedence alone is weaker (some report generators set it): only with no SMTP code in the text
      String precedence = ev.top.lower("Precedence").strip();
      return (precedence.equals("bulk") || precedence.equals("list")) && !codeInText();
    }

    /** Whether the From names a mail system: a daemon, a mail delivery system, a postmaster. */
    boolean mailSystem() {
      String from = ev.top.lower("From");
      return fromDaemon() || from.contains("postmaster") || from.contains("post_master")
          || from.contains("mailer daemon") || from.contains("mail administrator");
    }

    /** Whether an explanation (the text before the returned original) has an SMTP reply or status code. */
    boolean codeInText() {
      for (FreeText.Split split : splits()) {
        if (Codes.hasCode(String.join(" ", split.explanation()))) {
          return true;
        }
      }
      return false;
    }

    /**
     * Mail written by a person: a reply or a forward (the subject starts with a reply or forward prefix,
     * "Re:", "AW:", "SV:", "Fwd:", ...), or a message whose envelope sender ({@code Return-Path}) is its
     * own {@code From} address with a person's local part (mail systems send reports with an empty
     * envelope sender, RFC 5321 4.5.5, or from a role address such as postmaster). The sender is not a
     * mail system (a postmaster who answers a question is a person), and the text has no SMTP reply or
     * status code. Its words ("your mail came back as undeliverable") describe a bounce; they are not
     * one.
     */
    boolean humanReply() {
      if (fromDaemon() || ev.top.has("X-Failed-Recipients")) {
        return false;
      }
      if (!REPLY_PREFIX.matcher(subject()).lookingAt() && !ownEnvelopeSender()) {
        return false;
      }
      return !codeInText();
    }

    /** Whether Return-Path names the From address and that address is a person's, not a role's. */
    private boolean ownEnvelopeSender() {
      List<String> rp = new ArrayList<>();
      List<String> from = new ArrayList<>();
      addAddresses(rp, ev.top.get("Return-Path"));
      addAddresses(from, ev.top.get("From"));
      if (rp.size() != 1 || from.size() != 1 || !rp.get(0).equalsIgnoreCase(from.get(0))) {
        return false;
      }
      String local = from.get(0).substring(0, from.get(0).indexOf('@')).toLowerCase(Locale.ROOT);
      return !containsAny(local, ROLE_WORDS);
    }
  }

  /**
   * Words of the local parts of role and system addresses (mail systems, list managers, help desks,
   * no-reply senders); an address without them is taken for a person's.
   */
  private static final String[] ROLE_WORDS = {"daemon", "postmaster", "post_master", "mailer", "mail", "bounce",
      "reply", "admin", "owner", "request", "smtp", "root", "system", "notif", "deliver", "return", "abuse",
      "support", "info", "service", "help", "desk", "alert", "robot", "auto", "news", "list", "confirm",
      "verif", "security", "spam", "filter", "gateway", "server", "report", "dmarc", "feedback", "fbl"};

  private static int firstIndexOf(String text, String[] words) {
    int best = -1;
    for (String w : words) {
      int i = text.indexOf(w);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }

  /** The reply and forward prefixes of mail clients (English, German, Nordic, Dutch, French, ...). */
  private static final java.util.regex.Pattern REPLY_PREFIX = java.util.regex.Pattern.compile(
      "\\s*(?:re|aw|sv|vs|antw|wg|fw|fwd|tr|rv|ref|odp|res|r)\\s*(?:\\[\\d{1,3}])?\\s*:");

  /** Subject words of auto-replies, in the languages of the clients that write them. */
  private static final String[] AUTO_REPLY_SUBJECT = {"auto reply", "auto-reply", "autoreply", "automatic reply",
      "autorespon", "auto response", "automatic response", "automated response", "automated reply",
      "out of office", "out-of-office", "out of the office", "away from",
      "away until", "abwesenheit", "vacation",
      // the "automatic reply" prefixes Outlook and other clients write in their users' languages
      "automatische antwort", "r\u00e9ponse automatique", "reponse automatique", "risposta automatica",
      "respuesta autom\u00e1tica", "resposta autom\u00e1tica", "automatisch antwoord", "autosvar",
      "automaattinen vastaus", "odpowied\u017a automatyczna", "\u81ea\u52d5\u5fdc\u7b54",
      "\u81ea\u52a8\u56de\u590d", "absence du bureau", "fuera de la oficina",
      // Danish and Norwegian, Czech, Hungarian, Russian, Turkish, Greek, Korean, Polish (other order)
      "automatisk svar", "automatick\u00e1 odpov\u011b\u010f", "automatikus v\u00e1lasz",
      "\u0430\u0432\u0442\u043e\u043c\u0430\u0442\u0438\u0447\u0435\u0441\u043a\u0438\u0439 "
          + "\u043e\u0442\u0432\u0435\u0442",
      "otomatik yan\u0131t",
      "\u03b1\u03c5\u03c4\u03cc\u03bc\u03b1\u03c4\u03b7 \u03b1\u03c0\u03ac\u03bd\u03c4\u03b7\u03c3\u03b7",
      "\uc790\ub3d9 \uc751\ub2f5", "automatyczna odpowied\u017a",
      // "out of office" as people title it themselves: French, Italian, Dutch, Spanish/Portuguese,
      // Swedish, Norwegian/Danish, Japanese ("absence notice")
      "absent du bureau", "absente du bureau", "fuori ufficio", "afwezig", "ausente", "fora do escrit\u00f3rio",
      "fr\u00e5nvar", "frav\u00e6r", "\u4e0d\u5728"};

  /**
   * Subject words of non-delivery notices; one of them before an auto-reply's words makes the message a
   * bounce of an auto-reply ("Undeliverable: Automatic reply: ...", "Returned mail: Out of office").
   */
  private static final String[] BOUNCE_SUBJECT = {"undeliver", "undelivered", "returned mail", "failure notice",
      "delivery status notification", "delivery failure", "delivery failed", "mail delivery failed",
      "not delivered", "non remis", "unzustellbar", "non recapitabile", "no se puede entregar",
      "onbestelbaar", "kan inte levereras", "rejected", "returned to sender", "delivery notification"};

  /**
   * Words in which people say they are away, at the start of a reply that no header marks as automatic
   * (English, German, French, Spanish, Italian, Dutch, Portuguese, Swedish, Japanese).
   */
  private static final String[] AWAY = {"out of the office", "out of office", "away from the office",
      "away from my desk", "on annual leave", "on vacation", "on holiday", "on leave until",
      "on parental leave", "on maternity leave", "on sick leave", "currently on leave", "i'm on leave",
      "i am on leave", "until my return", "upon my return", "limited access to email",
      "limited access to e-mail", "i am away until",
      "i'm away until", "i am currently away", "i'm currently away", "i will be away",
      "nicht im b\u00fcro", "au\u00dfer haus", "bin abwesend", "im urlaub",
      "absent du bureau", "absente du bureau", "je suis absent", "en cong\u00e9",
      "fuera de la oficina", "estoy de vacaciones", "estoy ausente",
      "fuori ufficio", "sono in ferie", "sono assente",
      "ben afwezig", "niet op kantoor", "met vakantie",
      "fora do escrit\u00f3rio", "estou de f\u00e9rias", "estou ausente",
      "p\u00e5 semester", "\u4e0d\u5728\u306b\u3057\u3066"};

  /** Words of challenge-response and allow-list requests: the sender is asked to prove itself. */
  private static final String[] CHALLENGE = {"challenge-response", "challenge/response", "approved senders",
      "approved sender list", "whitelist", "allowlist", "allow list", "confirm that you are a",
      "verify that you are a", "prove that you are", "confirm your message", "verify your message",
      "confirm your email", "verify your email", "sender verification request",
      "will be delivered once you", "held until you confirm", "being held until you",
      // the wording and names of the common challenge-response services (Spam Arrest, Boxbe,
      // ChoiceMail, Mailblocks, Bluebottle)
      "protecting myself from", "spam arrest", "spamarrest", "boxbe", "guest list", "choicemail",
      "registration request", "mailblocks", "bluebottle", "verify that you are human",
      "confirm that you are human", "prove you are human", "one-time verification",
      // the general shape of such requests: the sender's address is to be verified or confirmed once,
      // the message is released or delivered after that, permission to send is requested (TMDA-like
      // confirmation systems, mailbox-protection services, ISP spam blockers; German wording too)
      "has not been verified", "release your message", "confirm your address", "verify your address",
      "request permission to send", "accepts mail only from known senders", "only from approved",
      "confirm you are a real person", "show they are a person", "waiting for your confirmation",
      "sender verification", "als absender zu best\u00e4tigen", "einmalig best\u00e4tigt"};

  static int indexOfIgnoreCase(String text, String lowerNeedle) {
    String t = text.length() > Evidence.PART_CAP ? text.substring(0, Evidence.PART_CAP) : text;
    return t.toLowerCase(Locale.ROOT).indexOf(lowerNeedle);
  }
}
