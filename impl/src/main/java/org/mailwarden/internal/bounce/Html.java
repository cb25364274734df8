package org.mailwarden.internal.bounce;

/** Turns HTML into rough text: tags become line breaks or spaces, a few entities are decoded. */
final class Html {
  private Html() {}

  static String strip(String html) {
    StringBuilder out = new StringBuilder(html.length());
    int n = html.length();
    int i = 0;
    while (i < n) {
      char c = html.charAt(i);
      if (c == '<') {
        int close = html.indexOf('>', i);
        if (close < 0) {
          break;
        }
        String tag = html.substring(i + 1, Math.min(close, i + 8)).toLowerCase(java.util.Locale.ROOT);
        if (tag.startsWith("br") || tag.startsWith("p") || tag.startsWith("/p") || tag.startsWith("div")
            || tag.startsWith("/div") || tag.startsWith("tr") || tag.startsWith("/tr") || tag.startsWith("li")) {
          out.append('\n');
        } else {
          out.append(' ');
        }
        if (tag.startsWith("style") || tag.startsWith("script")) {
          int end = html.toLowerCase(java.util.Locale.ROOT).indexOf("</" + tag.substring(0, tag.startsWith("style") ? 5 : 6), close);
          i = end < 0 ? n : end;
          continue;
        }
        i = close + 1;
      } else if (c == '&') {
        int semi = html.indexOf(';', i);
        String ent = semi > i && semi - i < 8 ? html.substring(i + 1, semi) : "";
        switch (ent) {
          case "lt" -> out.append('<');
          case "gt" -> out.append('>');
          case "amp" -> out.append('&');
          case "quot" -> out.append('"');
          case "nbsp", "#160" -> out.append(' ');
          default -> {
            out.append('&');
            i++;
            continue;
          }
        }
        i = semi + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
