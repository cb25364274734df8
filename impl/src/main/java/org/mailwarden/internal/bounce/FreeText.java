package org.mailwarden.internal.bounce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the human-readable text of a bounce: where the explanation ends and the returned original
 * begins, which addresses the explanation names as failed recipients, and the text that belongs to
 * each. The patterns here have no nested quantifiers and run over bounded text.
 */
final class FreeText {
  private FreeText() {}

  static final int MAX_LINES = 3000;
  static final Pattern ADDRESS = Pattern.compile(
      "(?<![A-Za-z0-9._%+=!#$&'*?^`{|}~-])[A-Za-z0-9._%+=!#$&'*?^`{|}~-]{1,64}@[A-Za-z0-9][A-Za-z0-9.-]{0,253}");
  /**
   * A label before an address ("Recipient:", "RFC-822:", "Empf\u00e4nger:", "\u5b9b\u5148:"): letters of any
   * script, a colon (also the full-width one of CJK text).
   */
  private static final Pattern LABEL = Pattern.compile("^[>*\\s]*\\p{L}[\\p{L}\\p{N} ._()/'-]{0,40}[:\\uff1a]\\s*[<\"'(\\[]?$");
  /**
   * The address-type prefix of gateways that carry several kinds of address (CompuServe's
   * "INTERNET:a@b", Exchange's "SMTP:a@b", X.400 gateways' "RFC-822:a@b"): it says what follows is an
   * Internet address, so the label before it decides.
   */
  private static final Pattern ADDRESS_TYPE = Pattern.compile("(?i)(?:internet|smtp|rfc-?822)\\s*:\\s*$");
  private static final Pattern CODE_PREFIX =
      Pattern.compile("^[<>\\s]*[245]\\d\\d[ -](?:[245]\\.\\d{1,3}\\.\\d{1,3}\\s*)?[<\"']?$");
  private static final Pattern PHRASE = Pattern.compile(
      "(?i)(?:\\bto|recipient|recipients|address|addressee|user|mailbox|destinataire|empf\u00e4nger)\\s*:?\\s*[<\"'(\\[]?$");
  private static final String[] MARKERS = {"original message", "copy of the message", "returned message",
      "message headers follow", "headers of the original", "original headers", "unsent message",
      "this is a copy", "below this line", "original mail", "header of the original", "message follows",
      "returned mail", "undelivered message", "headers of your message", "original text",
      "the header of", "message header follows", "headers follow", "rfc822", "message text follows",
      "text of the message", "your message follows"};
  private static final Set<String> HEADER_NAMES = Set.of("return-path", "received", "dkim-signature",
      "message-id", "date", "from", "to", "subject", "mime-version", "x-mailer", "authentication-results",
      "arc-seal", "delivered-to", "content-type", "reply-to", "x-received", "x-original-to", "cc",
      "domainkey-signature", "x-google-dkim-signature", "arc-message-signature", "user-agent");

  /** Header names that only a real message header has (not a summary of "From/To/Subject/Date"). */
  private static final Set<String> TELLING = Set.of("return-path", "received", "dkim-signature",
      "message-id", "mime-version", "content-type", "delivered-to", "authentication-results",
      "references", "in-reply-to", "domainkey-signature", "x-original-to", "user-agent");

  /** One recipient named by the explanation and the text that belongs to it. */
  record Found(String address, String text) {}

  /** The explanation part of a text and the returned original's header found after it. */
  record Split(List<String> explanation, Fields original) {}

  static Split split(String text) {
    List<String> lines = Lines.split(text, MAX_LINES);
    int cut = lines.size();
    for (int i = 0; i < lines.size(); i++) {
      if (isMarker(lines.get(i)) || startsHeaderRun(lines, i)) {
        cut = i;
        break;
      }
    }
    Fields original = Fields.EMPTY;
    for (int i = cut; i < lines.size() && i < cut + 60; i++) {
      if (startsHeaderRun(lines, i)) {
        original = Fields.parse(lines, i);
        break;
      }
    }
    return new Split(lines.subList(0, cut), original);
  }

  private static boolean isMarker(String line) {
    String t = line.strip();
    if (t.length() < 6 || t.length() > 120) {
      return false;
    }
    char c = t.charAt(0);
    String lower = t.toLowerCase(Locale.ROOT);
    boolean decorated = c == '-' || c == '=' || c == '*' || c == '_' || c == '#' || c == '[';
    boolean shortLine = t.length() < 50 && (lower.endsWith("follow.") || lower.endsWith("follows.")
        || lower.endsWith("follows:") || lower.endsWith("follows") || lower.endsWith("follow:"));
    if (!decorated && !shortLine) {
      return false;
    }
    for (String m : MARKERS) {
      if (lower.contains(m)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsHeaderRun(List<String> lines, int i) {
    if (!isHeaderLine(lines.get(i))) {
      return false;
    }
    int headers = 0;
    boolean telling = false;
    for (int j = i; j < lines.size() && j < i + 80; j++) {
      String line = lines.get(j);
      if (line.isEmpty()) {
        break;
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        continue;
      }
      if (!isHeaderLine(line)) {
        break;
      }
      headers++;
      String name = line.substring(0, Fields.fieldColon(line)).toLowerCase(Locale.ROOT);
      telling |= TELLING.contains(name) || name.startsWith("x-") || name.startsWith("arc-");
    }
    return headers >= 2 && telling;
  }

  private static boolean isHeaderLine(String line) {
    int colon = Fields.fieldColon(line);
    if (colon <= 0) {
      return false;
    }
    String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
    return HEADER_NAMES.contains(name) || name.startsWith("x-");
  }

  /**
   * Returns the failed recipients the explanation names: addresses that start a line or follow a label,
   * a reply code or a phrase such as "to"; when there are none, every other address it names.
   */
  static List<Found> recipients(List<String> explanation, Set<String> excluded) {
    Map<String, StringBuilder> strong = new LinkedHashMap<>();
    Map<String, StringBuilder> weak = new LinkedHashMap<>();
    Map<String, String> inProse = new LinkedHashMap<>();
    StringBuilder current = null;
    StringBuilder all = new StringBuilder();
    int linesInBlock = 0;
    for (String line : explanation) {
      if (all.length() < 16384) {
        all.append(line.strip()).append(' ');
      }
      Matcher m = ADDRESS.matcher(line.length() > 2000 ? line.substring(0, 2000) : line);
      String startedHere = null;
      int restFrom = -1;
      String lowerLine = line.toLowerCase(Locale.ROOT);
      boolean idLine = lowerLine.contains("message-id") || lowerLine.contains("message id");
      while (m.find()) {
        String address = clean(m.group());
        if (address == null || excluded.contains(address.toLowerCase(Locale.ROOT)) || idLine) {
          continue;
        }
        boolean strongHere = isStrong(line.substring(0, m.start()));
        if (!strongHere && address.regionMatches(true, 0, "postmaster@", 0, 11)) {
          continue;
        }
        if (strongHere) {
          if (startedHere == null) {
            startedHere = bracketed(line, m.end(), address);
            restFrom = m.end();
          }
        } else {
          weak.computeIfAbsent(address, k -> new StringBuilder());
          if (failureWords(lowerLine)) {
            inProse.putIfAbsent(address, line);
          }
        }
      }
      if (startedHere != null) {
        String key = startedHere.toLowerCase(Locale.ROOT);
        StringBuilder block = null;
        for (Map.Entry<String, StringBuilder> e : strong.entrySet()) {
          if (e.getKey().equalsIgnoreCase(key)) {
            block = e.getValue();
          }
        }
        if (block == null) {
          block = new StringBuilder();
          strong.put(startedHere, block);
        }
        current = block;
        linesInBlock = 0;
        append(current, line);
      } else if (current != null && linesInBlock++ < 40) {
        append(current, line);
      }
    }
    List<Found> out = new ArrayList<>();
    if (strong.isEmpty() && !Codes.hasCode(all.toString())) {
      // an address merely mentioned in text without any SMTP code is not evidence of a failure, unless
      // the sentence that names it says the delivery failed ("Your message to a@b could not be
      // delivered: the mailbox is full")
      for (Map.Entry<String, String> e : inProse.entrySet()) {
        out.add(new Found(e.getKey(), all.toString().strip()));
      }
      return out;
    }
    Map<String, StringBuilder> chosen = strong.isEmpty() ? weak : strong;
    for (Map.Entry<String, StringBuilder> e : chosen.entrySet()) {
      String text = e.getValue().toString().strip();
      if (strong.isEmpty() || !Codes.hasCode(text) && letters(text) < 12) {
        text = all.toString().strip();
      }
      out.add(new Found(e.getKey(), text));
      if (out.size() >= 200) {
        break;
      }
    }
    return out;
  }

  /**
   * Returns the address {@code address} was generated from by forwarding or aliasing, as the text right
   * after it says ("a@b (generated from c@d)", Exim; "(expanded from: <c@d>)", Sendmail and Postfix),
   * or null.
   */
  static String generatedFrom(String text, String address) {
    String t = text.length() > 2000 ? text.substring(0, 2000) : text;
    int at = t.toLowerCase(Locale.ROOT).indexOf(address.toLowerCase(Locale.ROOT));
    if (at < 0) {
      return null;
    }
    Matcher m = GENERATED_FROM.matcher(t.substring(at + address.length(), Math.min(t.length(), at + address.length() + 400)));
    if (!m.lookingAt()) {
      return null;
    }
    String original = clean(m.group(1));
    return original == null || original.equalsIgnoreCase(address) ? null : original;
  }

  private static final Pattern GENERATED_FROM = Pattern.compile(
      "[>\\s]*\\((?:ultimately )?(?:generated|expanded) from:?\\s*<?([A-Za-z0-9._%+=!#$&'*?^`{|}~-]{1,64}@[A-Za-z0-9][A-Za-z0-9.-]{0,253})",
      Pattern.CASE_INSENSITIVE);

  /** Words by which a sentence says a delivery failed. */
  private static final String[] FAILURE_WORDS = {"could not be delivered", "couldn't be delivered",
      "was not delivered", "undeliverable", "delivery failed", "delivery has failed", "failed to deliver",
      "unable to deliver", "could not deliver", "mailbox is full", "mailbox full", "does not exist",
      "no such user", "user unknown", "unknown user", "rejected", "over quota"};

  private static boolean failureWords(String lowerLine) {
    for (String w : FAILURE_WORDS) {
      if (lowerLine.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the address in angle brackets right after {@code address}, when the line names a mailbox
   * as {@code display <address>} (RFC 5322 name-addr) with an address-like display text; else
   * {@code address}.
   */
  private static String bracketed(String line, int end, String address) {
    int i = end;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    if (i == end || i >= line.length() || line.charAt(i) != '<') {
      return address;
    }
    int gt = line.indexOf('>', i);
    if (gt < 0) {
      return address;
    }
    Matcher m = ADDRESS.matcher(line.substring(i + 1, gt));
    if (m.matches()) {
      String inner = clean(m.group());
      return inner == null ? address : inner;
    }
    return address;
  }

  private static int letters(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isLetter(s.charAt(i))) {
        n++;
      }
    }
    return n;
  }

  private static void append(StringBuilder sb, String s) {
    if (sb.length() < 4096) {
      sb.append(s.strip()).append(' ');
    }
  }

  static boolean isStrong(String prefixRaw) {
    String prefix = prefixRaw.length() > 120 ? prefixRaw.substring(prefixRaw.length() - 120) : prefixRaw;
    Matcher type = ADDRESS_TYPE.matcher(prefix);
    if (type.find() && type.start() > 0 && !Character.isLetterOrDigit(prefix.charAt(type.start() - 1))) {
      prefix = prefix.substring(0, type.start());
    }
    String t = prefix.strip();
    if (t.isEmpty()) {
      return true;
    }
    boolean decoration = true;
    for (int i = 0; i < t.length() && decoration; i++) {
      decoration = "<>\"'([*:-\u2022\u30fb".indexOf(t.charAt(i)) >= 0;
    }
    if (decoration) {
      return true;
    }
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.contains("from") || lower.contains("sender") || lower.contains("mail address")) {
      // "target mail address:" and the like name an address without saying it failed
      return false;
    }
    return LABEL.matcher(t).find() || CODE_PREFIX.matcher(t).find() || PHRASE.matcher(t).find();
  }

  /** An address right after words that name it as the sender: "from a@b", "sender: <a@b>". */
  private static final Pattern SENDER_NAMED = Pattern.compile(
      "(?i)(?:\\bfrom|\\bsender|\\bmail from|\\boriginator)\\s*:?\\s*<?([A-Za-z0-9._%+=!#$&'*?^`{|}~-]{1,64}@[A-Za-z0-9][A-Za-z0-9.-]{0,253})");

  /** Returns the addresses the explanation names as the sender, lower case. */
  static Set<String> namedAsSender(List<String> explanation) {
    Set<String> out = new java.util.HashSet<>();
    for (String line : explanation) {
      Matcher m = SENDER_NAMED.matcher(line.length() > 2000 ? line.substring(0, 2000) : line);
      while (m.find() && out.size() < 50) {
        String a = clean(m.group(1));
        if (a != null) {
          out.add(a.toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  /** Returns the address without surrounding punctuation, or null if it is not an address. */
  static String clean(String token) {
    int at = token.indexOf('@');
    String local = token.substring(0, at);
    String domain = token.substring(at + 1);
    while (!domain.isEmpty() && (domain.endsWith(".") || domain.endsWith("-"))) {
      domain = domain.substring(0, domain.length() - 1);
    }
    while (!local.isEmpty() && (local.startsWith(".") || local.startsWith("'") || local.startsWith("\""))) {
      local = local.substring(1);
    }
    if (local.isEmpty() || domain.indexOf('.') < 0 || domain.length() < 4) {
      return null;
    }
    if (local.equalsIgnoreCase("mailer-daemon")) {
      return null;
    }
    return local + "@" + domain;
  }
}
