package org.mailwarden.internal.bounce;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds enhanced status codes (RFC 3463) and SMTP reply codes in diagnostic text. */
final class Codes {
  private Codes() {}

  /** Scan at most this much diagnostic text for codes. */
  static final int SCAN = 8192;
  private static final Pattern STATUS = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?!\\d)(?!\\.\\d)");
  private static final Pattern REPLY = Pattern.compile("(?<![\\d.#:/-])([245][0-5]\\d)(?=[ \\-]|$)");

  /** Returns the first failure status code (4.x.x or 5.x.x) in the text, else the first 2.x.x, else "". */
  static String status(String text) {
    Matcher m = STATUS.matcher(cap(text));
    String success = "";
    while (m.find()) {
      if (m.group(1).charAt(0) != '2') {
        return m.group();
      }
      if (success.isEmpty()) {
        success = m.group();
      }
    }
    return success;
  }

  /** Returns the last failure status code in the text (the innermost server's), else "". */
  static String lastStatus(String text) {
    Matcher m = STATUS.matcher(cap(text));
    String last = "";
    while (m.find()) {
      if (m.group(1).charAt(0) != '2') {
        last = m.group();
      }
    }
    return last;
  }

  /** Returns the first 4xx/5xx reply code in the text, else the first 2xx, else 0. */
  static int reply(String text) {
    Matcher m = REPLY.matcher(cap(text));
    int success = 0;
    while (m.find()) {
      int code = Integer.parseInt(m.group(1));
      if (code >= 400) {
        return code;
      }
      if (success == 0) {
        success = code;
      }
    }
    return success;
  }

  /** Returns the status from a Status field: the code only, or "" when it is not one. */
  static String field(String value) {
    if (value == null) {
      return "";
    }
    Matcher m = STATUS.matcher(cap(value));
    return m.find() ? m.group() : "";
  }

  static boolean isGeneric(String status) {
    return status.isEmpty() || status.endsWith(".0.0");
  }

  static String cap(String s) {
    return s.length() > SCAN ? s.substring(0, SCAN) : s;
  }

  static boolean hasCode(String text) {
    return !status(text).isEmpty() || reply(text) != 0;
  }
}
