package org.mailwarden.internal.util;

/** Small text helpers for messages that must never carry raw control characters. */
public final class Text {
  private Text() {}

  /** Returns the text with every control character (C0, DEL, C1, U+2028/9) written as {@code \\uXXXX}. */
  public static String escape(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isControl(c)) {
        if (sb == null) {
          sb = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        sb.append(String.format("\\u%04X", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? text : sb.toString();
  }

  /** Returns true for C0 controls, DEL, C1 controls and the Unicode line and paragraph separators. */
  public static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && (c <= 0x9f || c == '\u2028' || c == '\u2029')); // ASCII: two tests
  }

  /** Returns the index of the first control character, or -1. */
  public static int firstControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isControl(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
