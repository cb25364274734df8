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
    for (Enumeration<Header> e = mime.getAllHeaders(); e.hasMoreElements(); ) {
      Header h = e.nextElement();
      String problem = problem(h.getName(), h.getValue());
      if (problem != null) {
        throw new SendRefusedException(RefusalReason.HEADER_INJECTION, "header '"
            + org.mailwarden.internal.util.Text.escape(h.getName()) + "' " + problem
            + "; nothing was sent", chain.outgoing().recipientArray());
      }
    }
    // isMimeType parses the Content-Type every time; a type without the word cannot be multipart
    if (depth < MAX_DEPTH && mentionsMultipart(mime.getContentType()) && part.isMimeType("multipart/*")) {
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

  private static boolean mentionsMultipart(String contentType) {
    if (contentType == null) {
      return true; // let isMimeType decide
    }
    String word = "multipart";
    for (int i = 0; i + word.length() <= contentType.length(); i++) {
      if (contentType.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  /** Returns what is wrong with a header, or null when it is safe. */
  static String problem(String name, String value) {
    if (name.isEmpty()) {
      return "has an empty name";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == ':') {
        return "has a name with the character U+" + String.format("%04X", (int) c);
      }
    }
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' && i + 2 < value.length() && value.charAt(i + 1) == '\n'
          && (value.charAt(i + 2) == ' ' || value.charAt(i + 2) == '\t')) {
        i += 2; // a fold: CRLF then white space
        continue;
      }
      if (c == '\t') {
        continue;
      }
      if (org.mailwarden.internal.util.Text.isControl(c)) {
        return "contains the control character U+" + String.format("%04X", (int) c)
            + " (a CR or LF outside a fold is header injection)";
      }
    }
    return null;
  }
}
