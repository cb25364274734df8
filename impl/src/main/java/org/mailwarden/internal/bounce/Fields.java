package org.mailwarden.internal.bounce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ordered list of header fields (name and unfolded value), read leniently from untrusted text: it
 * never throws, keeps at most {@link #MAX_FIELDS} fields of at most {@link #MAX_VALUE} characters each.
 */
final class Fields {
  static final int MAX_FIELDS = 400;
  static final int MAX_VALUE = 4096;
  static final Fields EMPTY = new Fields(List.of());

  private final List<String[]> fields;

  private Fields(List<String[]> fields) {
    this.fields = fields;
  }

  /**
   * Reads one header block from {@code lines} starting at {@code from}: it ends at the first empty line
   * or at a line that is neither a field nor a continuation.
   */
  static Fields parse(List<String> lines, int from) {
    List<String[]> out = new ArrayList<>();
    StringBuilder value = null;
    String name = null;
    for (int i = from; i < lines.size() && out.size() < MAX_FIELDS; i++) {
      String line = lines.get(i);
      if (line.isEmpty() || line.isBlank()) {
        break;
      }
      char c = line.charAt(0);
      if ((c == ' ' || c == '\t') && value != null) {
        if (value.length() < MAX_VALUE) {
          value.append(' ').append(line.strip());
        }
        continue;
      }
      int colon = fieldColon(line);
      if (colon < 0) {
        break;
      }
      if (name != null) {
        out.add(new String[] {name, clip(value)});
      }
      name = line.substring(0, colon).strip();
      value = new StringBuilder(line.substring(colon + 1).strip());
    }
    if (name != null && out.size() < MAX_FIELDS) {
      out.add(new String[] {name, clip(value)});
    }
    return out.isEmpty() ? EMPTY : new Fields(out);
  }

  /** Returns the index of the colon ending a field name at the start of {@code line}, or -1. */
  static int fieldColon(String line) {
    int n = Math.min(line.length(), 80);
    for (int i = 0; i < n; i++) {
      char c = line.charAt(i);
      if (c == ':') {
        return i > 0 ? i : -1;
      }
      if (c <= ' ' || c > '~') {
        return -1;
      }
    }
    return -1;
  }

  private static String clip(StringBuilder sb) {
    return sb.length() > MAX_VALUE ? sb.substring(0, MAX_VALUE) : sb.toString();
  }

  boolean isEmpty() {
    return fields.isEmpty();
  }

  int size() {
    return fields.size();
  }

  String name(int i) {
    return fields.get(i)[0];
  }

  String value(int i) {
    return fields.get(i)[1];
  }

  /** Splits a block that holds several records (no blank line between them) at each {@code name}. */
  List<Fields> splitAt(String name) {
    List<Fields> out = new ArrayList<>();
    List<String[]> current = new ArrayList<>();
    boolean seen = false;
    for (String[] f : fields) {
      if (f[0].equalsIgnoreCase(name)) {
        if (seen) {
          out.add(new Fields(current));
          current = new ArrayList<>();
        }
        seen = true;
      }
      current.add(f);
    }
    out.add(new Fields(current));
    return out;
  }

  /** Returns the first value of the field, case-insensitively, or null. */
  String get(String name) {
    for (String[] f : fields) {
      if (f[0].equalsIgnoreCase(name)) {
        return f[1];
      }
    }
    return null;
  }

  /** Returns every value of the field, case-insensitively. */
  List<String> all(String name) {
    List<String> out = new ArrayList<>(2);
    for (String[] f : fields) {
      if (f[0].equalsIgnoreCase(name)) {
        out.add(f[1]);
      }
    }
    return out;
  }

  boolean has(String name) {
    return get(name) != null;
  }

  /** Returns the value in lower case, or empty text. */
  String lower(String name) {
    String v = get(name);
    return v == null ? "" : v.toLowerCase(Locale.ROOT);
  }
}
