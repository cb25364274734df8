package org.mailwarden.internal.util;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Enumeration;

/**
 * Reads a message's Message-ID as {@link MimeMessage#getMessageID()} does, from the header lines.
 * Every send reads it once, after delivery (an unsaved message gets its Message-ID while it is
 * written): {@code getMessageID()} compares every header slot's name ignoring case and copies the
 * matches into arrays; the lines stop at the header, with no copy but the value (the cost of both is
 * in BENCHMARKS.md).
 */
public final class MessageIds {
  private static final String NAME = "Message-ID";

  private MessageIds() {}

  /** Returns the first Message-ID header's value, or null when there is none or it is not a MIME message. */
  public static String of(Message message) {
    if (!(message instanceof MimeMessage mime)) {
      return null;
    }
    try {
      for (Enumeration<String> e = mime.getAllHeaderLines(); e.hasMoreElements(); ) {
        String line = e.nextElement();
        // the first letter first: a case-blind comparison per line cost a third of the look-up
        if (line.length() > NAME.length() && (line.charAt(0) | 0x20) == 'm'
            && line.regionMatches(true, 0, NAME, 0, NAME.length())) {
          int colon = line.indexOf(':');
          if (colon >= NAME.length() && line.substring(NAME.length(), colon).isBlank()) {
            return valueAfter(line, colon);
          }
        }
      }
      return null;
    } catch (MessagingException e) {
      return null;
    }
  }

  /** The value as Jakarta Mail's {@code Header.getValue()} gives it: white space, CR and LF skipped. */
  private static String valueAfter(String line, int colon) {
    int start = colon + 1;
    while (start < line.length()) {
      char c = line.charAt(start);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        break;
      }
      start++;
    }
    return line.substring(start);
  }
}
