package org.mailwarden.internal.policy;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.IDNA;
import com.ibm.icu.text.Normalizer2;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mailwarden.RecipientReason;

/**
 * The recipient address syntax check (DESIGN.md section 6).
 *
 * <p>{@link Mode#STRICT}, the default, accepts an RFC 5321 Mailbox whose local part is an unquoted
 * dot-string (UTF-8 per RFC 6531, in NFC, without non-ASCII controls, spaces, punctuation or
 * symbols) and whose domain is a fully qualified name of IDNA2008-valid labels with an alphabetic
 * or A-label top-level domain that is not special-use. A label with hyphens in its third and
 * fourth positions is reserved (RFC 5891) unless it is a true A-label: {@code xn--} followed by
 * the Punycode of a valid U-label, encoding back to the same text. It refuses quoted local parts,
 * address literals, comments, display names, encoded words and every control character. The local
 * part may have 64 octets (UTF-8, RFC 6531), a label 63, the domain 255 and the whole path 254;
 * the label, domain and path limits hold for an internationalized domain in its A-label form too,
 * the form DNS and a server without SMTPUTF8 need.
 *
 * <p>{@link Mode#LENIENT} also accepts RFC 5321 quoted strings and address literals of globally
 * routable IPv4 and IPv6 addresses (never private, loopback, link-local, documentation, multicast
 * or other special-purpose ranges: the literal must not reach internal hosts). An IPv4-compatible
 * ({@code ::a.b.c.d}) literal is judged by the IPv4 address it names; IPv4-mapped ones
 * ({@code ::ffff:a.b.c.d}) are never globally reachable.
 *
 * <p>All-ASCII addresses are checked in one linear pass without regular expressions or ICU; ICU is
 * only called for domains with a non-ASCII or {@code xn--} label and for non-ASCII local parts.
 */
public final class AddressSyntax {

  /** How much of RFC 5321 beyond the plain dot-string and domain name form is accepted. */
  public enum Mode {
    /** Unquoted local part and domain name only. */
    STRICT,
    /** Also quoted local parts and globally routable IP address literals. */
    LENIENT
  }

  /**
   * A refusal: the reason and a short human sentence naming what is wrong (never echoing control
   * characters raw; they are escaped like <code>&#92;u000D</code>).
   *
   * @param reason the reason code
   * @param detail what is wrong, in one sentence
   */
  public record Violation(RecipientReason reason, String detail) {
    /** Checks that neither component is null. */
    public Violation {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  private static final int MAX_PATH = 254;
  private static final int MAX_LOCAL_PART = 64;
  private static final int MAX_LABEL = 63;

  private static final String[] SPECIAL_USE_TLDS = {
    "arpa", "invalid", "local", "localhost", "onion", "test", "alt"
  };

  /** RFC 5322 atext without ALPHA and DIGIT. */
  private static final String ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";

  private static final boolean[] ATEXT = new boolean[128];
  private static final boolean[] LDH = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      ATEXT[c] = alphanumeric || ATEXT_SYMBOLS.indexOf(c) >= 0;
      LDH[c] = alphanumeric || c == '-';
    }
  }

  /** Non-ASCII local-part characters must be letters, marks or numbers (no C*, Z*, P*, S*). */
  private static final int LOCAL_PART_CATEGORIES =
      categories(
          UCharacterCategory.UPPERCASE_LETTER,
          UCharacterCategory.LOWERCASE_LETTER,
          UCharacterCategory.TITLECASE_LETTER,
          UCharacterCategory.MODIFIER_LETTER,
          UCharacterCategory.OTHER_LETTER,
          UCharacterCategory.NON_SPACING_MARK,
          UCharacterCategory.ENCLOSING_MARK,
          UCharacterCategory.COMBINING_SPACING_MARK,
          UCharacterCategory.DECIMAL_DIGIT_NUMBER,
          UCharacterCategory.LETTER_NUMBER,
          UCharacterCategory.OTHER_NUMBER);

  /** RFC 5892 section 2.1 LetterDigits: the only categories IDNA2008 can make PVALID. */
  private static final int IDNA2008_CATEGORIES =
      categories(
          UCharacterCategory.LOWERCASE_LETTER,
          UCharacterCategory.OTHER_LETTER,
          UCharacterCategory.MODIFIER_LETTER,
          UCharacterCategory.NON_SPACING_MARK,
          UCharacterCategory.COMBINING_SPACING_MARK,
          UCharacterCategory.DECIMAL_DIGIT_NUMBER);

  private static final IDNA IDNA2008 =
      IDNA.getUTS46Instance(
          IDNA.NONTRANSITIONAL_TO_ASCII
              | IDNA.NONTRANSITIONAL_TO_UNICODE
              | IDNA.CHECK_BIDI
              | IDNA.CHECK_CONTEXTJ
              | IDNA.CHECK_CONTEXTO
              | IDNA.USE_STD3_RULES);

  private static final Normalizer2 NFC = Normalizer2.getNFCInstance();

  /** An IPv4 network that is not globally routable. */
  private record Ipv4Range(long network, int prefix, String name) {
    boolean contains(long address) {
      return address >>> (32 - prefix) == network >>> (32 - prefix);
    }
  }

  /**
   * The IANA IPv4 special-purpose ranges that are not globally reachable, plus multicast and the
   * reserved class E. The registry marks two anycast addresses in 192.0.0.0/24 as globally
   * reachable (192.0.0.9 PCP, 192.0.0.10 TURN); they are refused with the block, since a PCP
   * anycast address reaches the sender's nearest router, an internal host.
   */
  private static final Ipv4Range[] NON_GLOBAL_IPV4 = {
    new Ipv4Range(ipv4(0, 0, 0, 0), 8, "\"this network\""),
    new Ipv4Range(ipv4(10, 0, 0, 0), 8, "private"),
    new Ipv4Range(ipv4(100, 64, 0, 0), 10, "shared (carrier-grade NAT)"),
    new Ipv4Range(ipv4(127, 0, 0, 0), 8, "loopback"),
    new Ipv4Range(ipv4(169, 254, 0, 0), 16, "link-local"),
    new Ipv4Range(ipv4(172, 16, 0, 0), 12, "private"),
    new Ipv4Range(ipv4(192, 0, 0, 0), 24, "IETF protocol assignment"),
    new Ipv4Range(ipv4(192, 0, 2, 0), 24, "documentation"),
    new Ipv4Range(ipv4(192, 88, 99, 0), 24, "deprecated 6to4 relay"),
    new Ipv4Range(ipv4(192, 168, 0, 0), 16, "private"),
    new Ipv4Range(ipv4(198, 18, 0, 0), 15, "benchmarking"),
    new Ipv4Range(ipv4(198, 51, 100, 0), 24, "documentation"),
    new Ipv4Range(ipv4(203, 0, 113, 0), 24, "documentation"),
    new Ipv4Range(ipv4(224, 0, 0, 0), 4, "multicast"),
    new Ipv4Range(ipv4(240, 0, 0, 0), 4, "reserved or broadcast"),
  };

  private AddressSyntax() {}

  /**
   * Returns the lower-case A-label (ASCII) form of a domain that passed {@link #check}, as DNS
   * needs it; an ASCII domain is only lower-cased.
   */
  public static String asciiDomain(String domain) {
    for (int i = 0; i < domain.length(); i++) {
      if (domain.charAt(i) >= 0x80) {
        IDNA.Info info = new IDNA.Info();
        String ascii = IDNA2008.nameToASCII(domain, new StringBuilder(), info).toString();
        return (info.hasErrors() ? domain : ascii).toLowerCase(Locale.ROOT);
      }
    }
    return domain.toLowerCase(Locale.ROOT);
  }

  /**
   * Checks one recipient address.
   *
   * @param address the bare addr-spec, without angle brackets
   * @param mode what to accept beyond the strict form
   * @return empty when the address is acceptable under the mode, otherwise the first rule it breaks
   * @throws NullPointerException if an argument is null
   */
  public static Optional<Violation> check(String address, Mode mode) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(mode, "mode");
    Violation violation = find(address, mode);
    return violation == null ? Optional.empty() : Optional.of(violation);
  }

  private static Violation find(String s, Mode mode) {
    int n = s.length();
    if (n == 0) {
      return syntax("the address is empty");
    }
    // A UTF-16 unit is at least one UTF-8 octet: refuse huge input before looking at it.
    if (n > MAX_PATH) {
      return length("the address is longer than 254 octets");
    }
    int octets = n;
    int firstAt = -1;
    int ats = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F) { // printable ASCII, the common case
        if (c == '@' && ats++ == 0) {
          firstAt = i;
        }
        continue;
      }
      if (c <= 0x9F || c == 0x2028 || c == 0x2029) { // C0, DEL, C1, line and paragraph separator
        return new Violation(
            RecipientReason.CONTROL_CHARACTER,
            "the address contains " + describe(c) + ", a control or line-break character");
      }
      octets += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
    }
    if (octets > MAX_PATH) {
      return length("the address is longer than 254 octets");
    }

    boolean quoted = s.charAt(0) == '"';
    int at;
    if (quoted) {
      int close = closingQuote(s);
      if (close < 0) {
        return syntax("the quoted local part has no closing quote");
      }
      at = close + 1;
      if (at == n || s.charAt(at) != '@') {
        return syntax("the quoted local part is not followed by '@'");
      }
    } else {
      at = firstAt;
      if (at < 0) {
        return syntax("the address has no '@'");
      }
    }
    if (quoted ? s.indexOf('@', at + 1) >= 0 : ats > 1) {
      return syntax("the address has more than one '@' outside a quoted string");
    }

    Violation local = quoted ? checkQuoted(s, at, mode) : checkDotString(s, at);
    if (local != null) {
      return local;
    }
    boolean ascii = octets == n;
    int localOctets = ascii ? at : utf8Length(s, 0, at);
    if (localOctets > MAX_LOCAL_PART) {
      return length("the local part is longer than 64 octets");
    }
    if (!ascii) {
      Violation unicode = checkUnicodeLocalPart(s, at);
      if (unicode != null) {
        return unicode;
      }
    }

    // The domain needs no 255-octet check of its own: the 254-octet path limit is tighter, and
    // checkIdna holds an internationalized domain to it in its A-label form too.
    int domain = at + 1;
    if (domain == n) {
      return syntax("the address has no domain after '@'");
    }
    return s.charAt(domain) == '['
        ? checkAddressLiteral(s, domain, mode)
        : checkDomain(s, domain, MAX_PATH - localOctets - 1);
  }

  // ---------------------------------------------------------------- local part

  /** Returns the index of the quote closing the quoted string that starts at 0, or -1. */
  private static int closingQuote(String s) {
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  /** RFC 5321 Quoted-string (qtextSMTP, quoted-pairSMTP) plus UTF8-non-ascii (RFC 6531). */
  private static Violation checkQuoted(String s, int at, Mode mode) {
    for (int i = 1; i < at - 1; i++) {
      if (s.charAt(i) == '\\') {
        char quotedChar = s.charAt(++i);
        if (quotedChar < 0x20 || quotedChar > 0x7E) {
          return syntax("a backslash in the quoted local part may only quote printable ASCII");
        }
      }
    }
    if (mode == Mode.STRICT) {
      return new Violation(
          RecipientReason.QUOTED_LOCAL_PART, "quoted local parts are not accepted");
    }
    return null;
  }

  /** RFC 5321 Dot-string: atoms of atext (or non-ASCII) separated by single dots. */
  private static Violation checkDotString(String s, int at) {
    if (at == 0) {
      return syntax("the local part is empty");
    }
    char previous = '.';
    boolean encodedWordStart = false;
    for (int i = 0; i < at; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (previous == '.') {
          return syntax(
              i == 0 ? "the local part starts with a dot" : "the local part has two dots in a row");
        }
      } else if (c < 0x80 && !ATEXT[c]) {
        return syntax(
            "the local part contains " + describe(c) + ", which needs a quoted string");
      } else if (c == '?' && previous == '=') {
        encodedWordStart = true;
      }
      previous = c;
    }
    if (previous == '.') {
      return syntax("the local part ends with a dot");
    }
    if (encodedWordStart && hasEncodedWord(s, at)) {
      return syntax("the local part is an RFC 2047 encoded word");
    }
    return null;
  }

  /** Looks for {@code =?charset?B|Q?text?=} in the local part. */
  private static boolean hasEncodedWord(String s, int at) {
    for (int start = s.indexOf("=?"); start >= 0 && start < at; ) {
      int charsetEnd = s.indexOf('?', start + 2);
      if (charsetEnd > start + 2 && charsetEnd + 2 < at
          && "BbQq".indexOf(s.charAt(charsetEnd + 1)) >= 0
          && s.charAt(charsetEnd + 2) == '?') {
        int end = s.indexOf("?=", charsetEnd + 3);
        if (end >= 0 && end + 2 <= at) {
          return true;
        }
      }
      start = s.indexOf("=?", start + 2);
    }
    return false;
  }

  /** Non-ASCII local parts: NFC, and only letters, marks and numbers outside ASCII. */
  private static Violation checkUnicodeLocalPart(String s, int at) {
    for (int i = 0; i < at; ) {
      int cp = s.codePointAt(i);
      if (cp >= 0x80 && !inCategories(cp, LOCAL_PART_CATEGORIES)) {
        return syntax(
            "the local part contains "
                + describe(cp)
                + ", a non-ASCII space, control, punctuation or symbol character");
      }
      i += Character.charCount(cp);
    }
    if (!NFC.isNormalized(s.subSequence(0, at))) {
      return syntax("the local part is not in Unicode normalization form C (NFC)");
    }
    return null;
  }

  // ---------------------------------------------------------------- domain name

  /**
   * A fully qualified domain name: LDH or IDNA2008 labels, alphabetic or A-label TLD. The domain
   * may have at most {@code maxOctets} octets in its A-label form (what is left of the path).
   */
  private static Violation checkDomain(String s, int from, int maxOctets) {
    int n = s.length();
    int labelStart = from;
    int tld = from;
    int labels = 0;
    boolean nonAsciiLabel = false;
    boolean needsIdna = false;
    for (int i = from; i <= n; i++) {
      char c = i < n ? s.charAt(i) : '.';
      if (c == '.') {
        if (i == labelStart) {
          return invalidDomain("the domain has an empty label (leading, trailing or double dot)");
        }
        if (nonAsciiLabel) {
          needsIdna = true;
        } else {
          if (i - labelStart > MAX_LABEL) {
            return invalidDomain("a domain label is longer than 63 octets");
          }
          if (s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
            return invalidDomain("a domain label starts or ends with a hyphen");
          }
          if (i - labelStart >= 4 && s.charAt(labelStart + 2) == '-'
              && s.charAt(labelStart + 3) == '-') {
            if (!isALabel(s, labelStart, i)) {
              return invalidDomain(
                  "a domain label has hyphens in the third and fourth positions, which RFC 5891"
                      + " reserves for A-labels ('xn--')");
            }
            needsIdna = true;
          }
        }
        labels++;
        tld = labelStart;
        labelStart = i + 1;
        nonAsciiLabel = false;
      } else if (c >= 0x80) {
        nonAsciiLabel = true;
      } else if (!LDH[c]) {
        return invalidDomain("the domain contains " + describe(c) + ", not allowed in host names");
      }
    }
    if (needsIdna) {
      Violation idna = checkIdna(s.substring(from), maxOctets);
      if (idna != null) {
        return idna;
      }
    }
    return checkTopLevel(s, tld, labels);
  }

  /** The top-level domain starts at tld: not special-use, not dotless, alphabetic or A-label. */
  private static Violation checkTopLevel(String s, int tld, int labels) {
    int n = s.length();
    int tldLength = n - tld;
    char first = (char) (s.charAt(tld) | 0x20); // lower case for ASCII letters, enough to rule most out
    for (String special : SPECIAL_USE_TLDS) {
      if (special.length() == tldLength && special.charAt(0) == first
          && s.regionMatches(true, tld, special, 0, tldLength)) {
        return new Violation(
            RecipientReason.SPECIAL_USE_DOMAIN,
            "the domain is under the special-use top-level domain ." + special);
      }
    }
    if (labels < 2) {
      return invalidDomain("the domain is not fully qualified (it has no dot)");
    }
    if (isALabel(s, tld, n)) {
      return null;
    }
    boolean digits = true;
    boolean letters = tldLength >= 2;
    for (int i = tld; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return null; // a U-label, already checked by IDNA
      }
      digits &= c >= '0' && c <= '9';
      letters &= (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }
    if (digits) {
      return invalidDomain("the top-level domain is all-numeric");
    }
    if (!letters) {
      return invalidDomain("the top-level domain is neither two or more letters nor an A-label");
    }
    return null;
  }

  /** True for a U-label candidate (non-ASCII) or an A-label candidate ({@code xn--}). */
  private static boolean isIdnLabel(String label) {
    return !isAscii(label) || isALabel(label, 0, label.length());
  }

  private static boolean isALabel(String s, int from, int to) {
    // by hand: a case-blind regionMatches cost more than the rest of the domain's check
    return to - from > 4 && (s.charAt(from) | 0x20) == 'x' && (s.charAt(from + 1) | 0x20) == 'n'
        && s.charAt(from + 2) == '-' && s.charAt(from + 3) == '-';
  }

  /**
   * IDNA2008 for a domain with U-labels or A-labels. ICU's UTS #46 processing does the label,
   * hyphen, leading-mark, context (CONTEXTJ, CONTEXTO) and bidi rules and the length of each label
   * in its A-label form; on top of it a U-label must already be in its canonical form (UTS #46
   * mapping would change nothing but ASCII case), every code point must be one that RFC 5892 can
   * make PVALID (UTS #46 also accepts symbols and punctuation), an A-label must be the one its
   * U-label encodes to (RFC 5891 section 5.4), and the whole address must fit in 254 octets with
   * the domain in A-label form, the form that DNS and a server without SMTPUTF8 need.
   *
   * @param maxOctets how many octets the domain may have in A-label form
   */
  private static Violation checkIdna(String domain, int maxOctets) {
    IDNA.Info info = new IDNA.Info();
    String ascii = IDNA2008.nameToASCII(domain, new StringBuilder(), info).toString();
    Set<IDNA.Error> errors = info.getErrors();
    String unicode =
        IDNA2008.nameToUnicode(domain, new StringBuilder(), new IDNA.Info()).toString();

    String[] given = domain.split("\\.", -1);
    String[] labels = unicode.split("\\.", -1);
    if (given.length != labels.length) {
      return invalidDomain("the domain uses a dot that is not U+002E FULL STOP");
    }
    if (errors.contains(IDNA.Error.LABEL_TOO_LONG)) {
      return invalidDomain("a domain label is longer than 63 octets in its A-label form");
    }
    if (errors.contains(IDNA.Error.DOMAIN_NAME_TOO_LONG)) {
      return length("the domain is longer than 253 octets in its A-label form");
    }
    if (errors.contains(IDNA.Error.HYPHEN_3_4)) {
      return invalidDomain(
          "a domain label has hyphens in the third and fourth positions (RFC 5891 4.2.3.1)");
    }
    if (!errors.isEmpty()) {
      return invalidDomain("the domain is not a valid IDNA2008 domain name: " + names(errors));
    }
    for (int i = 0; i < given.length; i++) {
      if (!isIdnLabel(given[i])) {
        continue;
      }
      if (isAscii(given[i])) {
        // An A-label: its U-label must encode back to it, so that one name has one A-label.
        String again =
            IDNA2008.labelToASCII(labels[i], new StringBuilder(), new IDNA.Info()).toString();
        if (isAscii(labels[i]) || !again.equalsIgnoreCase(given[i])) {
          return invalidDomain(
              "a domain label starts with 'xn--' but is not the A-label of a valid U-label");
        }
      } else if (!lowerAscii(given[i]).equals(labels[i])) {
        return invalidDomain(
            "a domain label is not in IDNA2008 form (it has upper-case, compatibility or"
                + " unnormalized characters)");
      }
      for (int j = 0; j < labels[i].length(); ) {
        int cp = labels[i].codePointAt(j);
        if (!idna2008Candidate(cp)) {
          return invalidDomain("the domain contains " + describe(cp) + ", disallowed by IDNA2008");
        }
        j += Character.charCount(cp);
      }
    }
    if (isAllDigits(labels[labels.length - 1])) {
      return invalidDomain("the top-level domain is all-numeric");
    }
    if (ascii.length() > maxOctets) {
      return length("the address is longer than 254 octets with its domain in A-label form");
    }
    return null;
  }

  /** True for a label of decimal digits only, in any script (RFC 3696 section 2, for U-labels). */
  private static boolean isAllDigits(String label) {
    for (int i = 0; i < label.length(); ) {
      int cp = label.codePointAt(i);
      if (UCharacter.getType(cp) != UCharacterCategory.DECIMAL_DIGIT_NUMBER) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return !label.isEmpty();
  }

  /** RFC 5892 derived property: true unless the code point is certainly DISALLOWED. */
  private static boolean idna2008Candidate(int cp) {
    if (cp < 0x80) {
      return true; // ASCII was already held to letters, digits and hyphen
    }
    switch (cp) {
      case 0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007: // section 2.6 PVALID exceptions
      case 0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB: // CONTEXTO, checked by ICU
      case 0x200C, 0x200D: // CONTEXTJ, checked by ICU
        return true;
      case 0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B:
        return false; // section 2.6 DISALLOWED exceptions
      default:
        break;
    }
    if (cp >= 0x20D0 && cp <= 0x20FF || cp >= 0x1D100 && cp <= 0x1D24F) {
      return false; // section 2.5 IgnorableBlocks
    }
    if (UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)) {
      return false; // section 2.4 IgnorableProperties (white space and noncharacters are not L*)
    }
    int jamo = UCharacter.getIntPropertyValue(cp, UProperty.HANGUL_SYLLABLE_TYPE);
    if (jamo == UCharacter.HangulSyllableType.LEADING_JAMO
        || jamo == UCharacter.HangulSyllableType.VOWEL_JAMO
        || jamo == UCharacter.HangulSyllableType.TRAILING_JAMO) {
      return false; // section 2.9 OldHangulJamo
    }
    return inCategories(cp, IDNA2008_CATEGORIES);
  }

  // ---------------------------------------------------------------- address literals

  /** RFC 5321 address-literal: IPv4 or "IPv6:"; globally routable, and only when lenient. */
  private static Violation checkAddressLiteral(String s, int from, Mode mode) {
    int n = s.length();
    int close = s.indexOf(']', from);
    if (close < 0) {
      return syntax("the address literal has no closing ']'");
    }
    if (close != n - 1) {
      return syntax("the address literal is followed by more text");
    }
    int body = from + 1;
    boolean ipv6 = s.regionMatches(true, body, "IPv6:", 0, 5);
    int[] groups = ipv6 ? parseIpv6(s, body + 5, close) : null;
    long ipv4 = ipv6 ? -1 : parseIpv4(s, body, close);
    if (ipv6 ? groups == null : ipv4 < 0) {
      return syntax(
          ipv6
              ? "the IPv6 address literal does not follow the RFC 5321 grammar"
              : "the address literal is neither an IPv4 address nor tagged IPv6:");
    }
    if (mode == Mode.STRICT) {
      return new Violation(
          RecipientReason.ADDRESS_LITERAL, "address literals are not accepted; use a domain name");
    }
    if (hasLeadingZero(s, body, close)) {
      return new Violation(
          RecipientReason.ADDRESS_LITERAL,
          "the IPv4 part of the address literal has a leading zero (octal or decimal?)");
    }
    String range = ipv6 ? nonGlobalIpv6(groups) : nonGlobalIpv4(ipv4);
    if (range != null) {
      return new Violation(
          RecipientReason.ADDRESS_LITERAL,
          "the address literal is not a globally routable address (" + range + ")");
    }
    return null;
  }

  /** Parses RFC 5321 IPv4-address-literal in [from, to) to its 32-bit value, or returns -1. */
  private static long parseIpv4(String s, int from, int to) {
    long value = 0;
    int i = from;
    for (int part = 0; part < 4; part++) {
      if (part > 0) {
        if (i == to || s.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
      int start = i;
      int octet = 0;
      while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        octet = octet * 10 + s.charAt(i++) - '0';
      }
      if (i == start || octet > 255) {
        return -1;
      }
      value = value << 8 | octet;
    }
    return i == to ? value : -1;
  }

  /**
   * Parses the RFC 5321 IPv6-addr in [from, to) into eight 16-bit groups, or returns null. "::"
   * stands for at least two zero groups, and an IPv4 tail counts as two groups.
   */
  private static int[] parseIpv6(String s, int from, int to) {
    String text = s.substring(from, to);
    int compressed = text.indexOf("::");
    if (compressed >= 0 && text.indexOf("::", compressed + 1) >= 0) {
      return null;
    }
    int[] groups = new int[8];
    int hexGroups = 8;
    String hex = text;
    if (text.indexOf('.') >= 0) {
      int lastColon = text.lastIndexOf(':');
      long ipv4 = lastColon < 0 ? -1 : parseIpv4(text, lastColon + 1, text.length());
      if (ipv4 < 0) {
        return null;
      }
      groups[6] = (int) (ipv4 >>> 16);
      groups[7] = (int) (ipv4 & 0xFFFF);
      hexGroups = 6;
      boolean afterCompression = lastColon > 0 && text.charAt(lastColon - 1) == ':';
      hex = text.substring(0, afterCompression ? lastColon + 1 : lastColon);
    }
    if (compressed < 0) {
      return parseHexGroups(hex, groups, 0, hexGroups) == hexGroups ? groups : null;
    }
    int[] tail = new int[hexGroups];
    int head = parseHexGroups(hex.substring(0, compressed), groups, 0, hexGroups - 2);
    int rest = parseHexGroups(hex.substring(compressed + 2), tail, 0, hexGroups - 2);
    if (head < 0 || rest < 0 || head + rest > hexGroups - 2) {
      return null;
    }
    System.arraycopy(tail, 0, groups, hexGroups - rest, rest);
    return groups;
  }

  /** Parses colon-separated 1-4 digit hex groups into out[at..]; returns the count or -1. */
  private static int parseHexGroups(String text, int[] out, int at, int max) {
    if (text.isEmpty()) {
      return 0;
    }
    String[] parts = text.split(":", -1);
    if (parts.length > max) {
      return -1;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 4) {
        return -1;
      }
      int value = 0;
      for (int i = 0; i < part.length(); i++) {
        int digit = Character.digit(part.charAt(i), 16);
        if (digit < 0 || part.charAt(i) >= 0x80) {
          return -1;
        }
        value = value << 4 | digit;
      }
      out[at++] = value;
    }
    return parts.length;
  }

  private static boolean hasLeadingZero(String s, int from, int to) {
    int lastColon = s.lastIndexOf(':', to - 1);
    int start = Math.max(from, lastColon + 1);
    if (s.indexOf('.', start) < 0 || s.indexOf('.', start) >= to) {
      return false; // no IPv4 part
    }
    for (int i = start; i < to - 1; i++) {
      boolean octetStart = i == start || s.charAt(i - 1) == '.';
      if (octetStart && s.charAt(i) == '0' && s.charAt(i + 1) != '.') {
        return true;
      }
    }
    return false;
  }

  private static String nonGlobalIpv4(long address) {
    for (Ipv4Range range : NON_GLOBAL_IPV4) {
      if (range.contains(address)) {
        return range.name();
      }
    }
    return null;
  }

  /**
   * IANA special-purpose IPv6 ranges that are not globally reachable, multicast, and the
   * deprecated IPv4-compatible form when the IPv4 address it names is not. As for IPv4, the few
   * anycast addresses the registry marks globally reachable inside 2001::/23 (PCP, TURN, AMT,
   * AS112, ORCHIDv2, DETs) are refused with the block.
   */
  private static String nonGlobalIpv6(int[] g) {
    boolean zeroTo5 = (g[0] | g[1] | g[2] | g[3] | g[4] | g[5]) == 0;
    if (zeroTo5 && (g[6] | g[7]) == 0) {
      return "unspecified";
    }
    if (zeroTo5 && g[6] == 0 && g[7] == 1) {
      return "loopback";
    }
    if (zeroTo5 && g[6] >= 0x100) {
      // ::a.b.c.d, the IPv4-compatible form (RFC 4291 2.5.5.1, deprecated): a stack that still
      // knows it reaches a.b.c.d over IPv4. Its IPv4 address must be unicast, so ::/104 (0.0.0.0/8,
      // with :: and ::1) is not this form, whichever way it is written (::7f00:1 is ::127.0.0.1).
      String embedded = nonGlobalIpv4(ipv4Of(g));
      return embedded == null ? null : "IPv4-compatible form of a " + embedded + " IPv4 address";
    }
    if ((g[0] | g[1] | g[2] | g[3] | g[4]) == 0 && g[5] == 0xFFFF) {
      // ::ffff:a.b.c.d stands for a.b.c.d inside a dual-stack host; never global (IANA).
      String embedded = nonGlobalIpv4(ipv4Of(g));
      return embedded == null
          ? "IPv4-mapped"
          : "IPv4-mapped form of a " + embedded + " IPv4 address";
    }
    if (g[0] == 0x64 && g[1] == 0xFF9B && (g[2] | g[3] | g[4] | g[5]) == 0) {
      String embedded = nonGlobalIpv4(ipv4Of(g));
      return embedded == null ? null : "NAT64 of a " + embedded + " IPv4 address";
    }
    if (g[0] == 0x64 && g[1] == 0xFF9B && g[2] == 1) {
      return "local-use NAT64";
    }
    if (g[0] == 0x100 && (g[1] | g[2]) == 0 && (g[3] == 0 || g[3] == 1)) {
      return "discard-only or dummy prefix";
    }
    if (g[0] == 0x2001 && (g[1] < 0x200 || g[1] == 0xDB8)) {
      return g[1] == 0xDB8 ? "documentation" : "IETF protocol assignment";
    }
    if (g[0] == 0x2002) {
      return "6to4";
    }
    if (g[0] == 0x3FFF && g[1] < 0x1000) {
      return "documentation";
    }
    if (g[0] == 0x5F00) {
      return "segment routing";
    }
    if ((g[0] & 0xFE00) == 0xFC00) {
      return "unique local";
    }
    if ((g[0] & 0xFFC0) == 0xFE80 || (g[0] & 0xFFC0) == 0xFEC0) {
      return "link-local or site-local";
    }
    if ((g[0] & 0xFF00) == 0xFF00) {
      return "multicast";
    }
    return null;
  }

  // ---------------------------------------------------------------- helpers

  private static long ipv4(int a, int b, int c, int d) {
    return (long) a << 24 | b << 16 | c << 8 | d;
  }

  /** The IPv4 address in the last 32 bits of an IPv6 address. */
  private static long ipv4Of(int[] groups) {
    return (long) groups[6] << 16 | groups[7];
  }

  private static int categories(int... categories) {
    int mask = 0;
    for (int category : categories) {
      mask |= 1 << category;
    }
    return mask;
  }

  private static boolean inCategories(int cp, int mask) {
    return (mask & 1 << UCharacter.getType(cp)) != 0;
  }

  private static int utf8Length(String s, int from, int to) {
    int octets = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      octets += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return octets;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String lowerAscii(String s) {
    StringBuilder lower = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      lower.append(c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : c);
    }
    return lower.toString();
  }

  private static String names(Set<IDNA.Error> errors) {
    StringBuilder names = new StringBuilder();
    for (IDNA.Error error : errors) {
      names.append(names.length() == 0 ? "" : ", ").append(error.name().toLowerCase(Locale.ROOT));
    }
    return names.toString();
  }

  /** Names a character without echoing it unless it is printable ASCII. */
  private static String describe(int cp) {
    if (cp > 0x20 && cp < 0x7F) {
      return "'" + (char) cp + "'";
    }
    if (cp == ' ') {
      return "a space";
    }
    if (cp < 0x20 || cp >= 0x7F && cp <= 0x9F || cp == 0x2028 || cp == 0x2029) {
      return String.format(Locale.ROOT, "\\u%04X", cp);
    }
    return String.format(Locale.ROOT, "U+%04X", cp);
  }

  private static Violation syntax(String detail) {
    return new Violation(RecipientReason.SYNTAX, detail);
  }

  private static Violation length(String detail) {
    return new Violation(RecipientReason.LENGTH, detail);
  }

  private static Violation invalidDomain(String detail) {
    return new Violation(RecipientReason.INVALID_DOMAIN, detail);
  }
}
