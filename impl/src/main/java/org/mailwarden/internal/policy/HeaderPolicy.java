package org.mailwarden.internal.policy;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimePart;
import java.io.IOException;
import java.util.Enumeration;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Policy;

/**
 * Refuses a message whose header names or values carry a control character: a CR or LF that is not
 * part of a fold (CRLF followed by a space or tab) would let an application-supplied value (a subject,
 * a display name) add headers or end the header block. Checks the headers of every MIME part too.
 */
public final class HeaderPolicy implements Policy {
  private static final int MAX_DEPTH = 32;
  private static final String CONTENT_TYPE = "Content-Type";

  @Override
  public String name() {
    return "headers";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    check(chain.outgoing().message(), 0, chain);
    return chain.proceed(chain.outgoing());
  }

  private static void check(Part part, int depth, Chain chain) throws MessagingException {
    if (!(part instanceof MimePart mime)) {
      return;
    }
    // The lines as they will be written: Jakarta Mail stores a set value raw, so the line is what goes
    // on the wire (Header.getValue() would hide line breaks at the start of a value). One pass, no
    // copies; the Content-Type line is noticed on the way (getContentType() would scan again).
    String valueProblem = null;
    String valueName = null;
    boolean namesToCheck = false;
    boolean mayBeMultipart = true;
    boolean contentTypeSeen = false;
    for (Enumeration<String> e = mime.getAllHeaderLines(); e.hasMoreElements(); ) {
      String line = e.nextElement();
      int colon = plainNameEnd(line);
      if (colon <= 0 || line.indexOf(": ", colon + 1) >= 0) {
        namesToCheck = true;
        colon = line.indexOf(':'); // the value starts after the first colon, whatever the name
      }
      if (valueProblem == null && (valueProblem = valueProblem(line, colon + 1)) != null) {
        valueName = colon < 0 ? line : line.substring(0, colon);
      }
      if (!contentTypeSeen && colon == CONTENT_TYPE.length()
          && line.regionMatches(true, 0, CONTENT_TYPE, 0, colon)) {
        contentTypeSeen = true; // the first one counts, as for getContentType()
        mayBeMultipart = mayBeMultipart(line, colon + 1);
      }
    }
    // The names as the application gave them, only when a line leaves doubt: getAllHeaders() builds a
    // Header and its value per header (a third of the decision path when it ran for every message)
    if (namesToCheck) {
      for (Enumeration<Header> e = mime.getAllHeaders(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        String problem = nameProblem(name);
        if (problem != null) {
          throw refusal(name, problem, chain);
        }
      }
    }
    if (valueProblem != null) {
      throw refusal(valueName, valueProblem, chain);
    }
    // isMimeType parses the Content-Type every time; a type without the word cannot be multipart
    if (depth < MAX_DEPTH && mayBeMultipart && part.isMimeType("multipart/*")) {
      Object content;
      try {
        content = part.getContent();
      } catch (IOException e) {
        return; // unreadable content is the delegate's to report
      }
      if (content instanceof Multipart mp) {
        for (int i = 0; i < mp.getCount(); i++) {
          check(mp.getBodyPart(i), depth + 1, chain);
        }
      }
    }
  }

  private static SendRefusedException refusal(String name, String problem, Chain chain) {
    return new SendRefusedException(RefusalReason.HEADER_INJECTION, "header '"
        + org.mailwarden.internal.util.Text.escape(name) + "' " + problem + "; nothing was sent",
        chain.outgoing().recipientArray());
  }

  /**
   * Returns the index of the line's first colon when the text before it is printable ASCII without
   * space, else -1: one pass over the name. The caller also checks the name as the application gave it
   * when the line has ": " after that colon. Jakarta Mail writes a header set by name as {@code name +
   * ": " + value}, so a ':' hidden in a name is always followed, later on the line, by a colon and a
   * space; a line without one, whose text before the first colon is a valid name, has exactly that
   * name. (A value containing ": ", such as a subject "Re: ...", only costs the exact check.)
   */
  private static int plainNameEnd(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ':') {
        return i;
      }
      if (c <= ' ' || c >= 0x7f) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * Whether a Content-Type value may be multipart: its type is its first token, after white space
   * or a comment (RFC 2045), so only a value starting with the word, or with a comment, may be.
   */
  private static boolean mayBeMultipart(String line, int from) {
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return c == '(' || line.regionMatches(true, i, "multipart", 0, "multipart".length());
      }
    }
    return false;
  }

  private static String nameProblem(String name) {
    if (name.isEmpty()) {
      return "has an empty name";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == ':') {
        return "has a name with the character " + codePoint(c);
      }
    }
    return null;
  }

  /** Checks {@code value} from index {@code from}: control characters other than tab and folds. */
  private static String valueProblem(String value, int from) {
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        continue;
      }
      if (c == '\r' && i + 2 < value.length() && value.charAt(i + 1) == '\n'
          && (value.charAt(i + 2) == ' ' || value.charAt(i + 2) == '\t')) {
        i += 2; // a fold: CRLF then white space
        continue;
      }
      if (c == '\t') {
        continue;
      }
      if (org.mailwarden.internal.util.Text.isControl(c)) {
        return "contains the control character " + codePoint(c)
            + " (a CR or LF outside a fold is header injection)";
      }
    }
    return null;
  }

  private static String codePoint(char c) {
    String hex = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
    return "U+" + "0000".substring(hex.length()) + hex;
  }
}
