package org.mailwarden.internal.bounce;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Line-ending normalisation and bounded splitting. */
final class Lines {
  private Lines() {}

  /** Returns the bytes with CRLF and lone CR turned into LF. */
  static byte[] normalize(byte[] in, int length) {
    byte[] out = new byte[length];
    int j = 0;
    for (int i = 0; i < length; i++) {
      byte b = in[i];
      if (b == '\r') {
        out[j++] = '\n';
        if (i + 1 < length && in[i + 1] == '\n') {
          i++;
        }
      } else {
        out[j++] = b;
      }
    }
    return j == length ? out : java.util.Arrays.copyOf(out, j);
  }

  /** Returns the text with CRLF and lone CR turned into LF. */
  static String normalize(String s) {
    if (s.indexOf('\r') < 0) {
      return s;
    }
    return s.replace("\r\n", "\n").replace('\r', '\n');
  }

  /** Splits on LF, keeping at most {@code max} lines. */
  static List<String> split(String s, int max) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start <= s.length() && out.size() < max) {
      int nl = s.indexOf('\n', start);
      if (nl < 0) {
        if (start < s.length()) {
          out.add(s.substring(start));
        }
        break;
      }
      out.add(s.substring(start, nl));
      start = nl + 1;
    }
    return out;
  }

  static byte[] join(List<String> lines) {
    return (String.join("\n", lines) + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
