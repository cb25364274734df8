package org.mailwarden.internal.bounce;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.eclipse.angus.mail.dsn.DeliveryStatus;

/**
 * What a walk through the MIME structure of a message found: its top-level header, the readable text
 * parts, the fields of delivery-status and feedback-report parts, and the header of the returned
 * original. Every part is read through a cap, so a huge or deeply nested message costs bounded work.
 */
final class Evidence {
  /** Bytes read from each part. */
  static final int PART_CAP = 64 * 1024;
  private static final int MAX_PARTS = 256;
  private static final int MAX_DEPTH = 8;
  private static final Session SESSION = lenientSession();

  Fields top = Fields.EMPTY;
  final List<String> texts = new ArrayList<>();
  /** The per-message block of a delivery-status part; EMPTY when none. */
  Fields dsnMessage = Fields.EMPTY;
  /** The per-recipient blocks of delivery-status parts. */
  final List<Fields> dsnRecipients = new ArrayList<>();
  Fields feedback = Fields.EMPTY;
  Fields original = Fields.EMPTY;
  /** The start of the returned original's body (message/rfc822 parts only), at most PART_CAP bytes. */
  byte[] originalBody = new byte[0];
  String reportType = "";
  /** Whether a disposition notification (RFC 8098, a read receipt) was found. */
  boolean disposition;
  private int parts;

  private static Session lenientSession() {
    Properties p = new Properties();
    p.setProperty("mail.mime.address.strict", "false");
    p.setProperty("mail.mime.parameters.strict", "false");
    p.setProperty("mail.mime.multipart.allowempty", "true");
    p.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
    p.setProperty("mail.mime.multipart.ignoremissingboundaryparameter", "true");
    p.setProperty("mail.mime.base64.ignoreerrors", "true");
    p.setProperty("mail.mime.uudecode.ignoreerrors", "true");
    p.setProperty("mail.mime.ignoreunknownencoding", "true");
    p.setProperty("mail.mime.decodetext.strict", "false");
    return Session.getInstance(p);
  }

  /** Reads a message whose line ends are already LF. */
  static Evidence read(byte[] message) {
    Evidence e = new Evidence();
    e.top = Fields.parse(Lines.split(headerText(message), 2000), 0);
    try {
      MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(message));
      e.walk(m, 0);
    } catch (MessagingException | RuntimeException ex) {
      // a part we cannot read is a part we do not use; keep what was found so far
      if (e.texts.isEmpty()) {
        e.texts.add(bodyText(message));
      }
    }
    return e;
  }

  private static String headerText(byte[] message) {
    int end = Math.min(message.length, PART_CAP);
    for (int i = 1; i < end; i++) {
      if (message[i] == '\n' && message[i - 1] == '\n') {
        end = i;
        break;
      }
    }
    return new String(message, 0, end, StandardCharsets.ISO_8859_1);
  }

  private static byte[] bodyOf(byte[] message) {
    String s = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    int blank = s.indexOf("\n\n");
    return blank < 0 ? new byte[0] : s.substring(blank + 2).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Returns the returned original's header as text, followed by at most {@code bodyBytes} of its body. */
  String originalExcerpt(int bodyBytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < original.size(); i++) {
      sb.append(original.name(i)).append(": ").append(original.value(i)).append('\n');
    }
    byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
    int n = Math.min(Math.max(bodyBytes, 0), originalBody.length);
    if (n == 0) {
      return sb.toString();
    }
    return sb.append('\n').append(new String(originalBody, 0, n, StandardCharsets.ISO_8859_1)).toString();
  }

  private static String bodyText(byte[] message) {
    int start = 0;
    for (int i = 1; i < message.length; i++) {
      if (message[i] == '\n' && message[i - 1] == '\n') {
        start = i + 1;
        break;
      }
    }
    int len = Math.min(message.length - start, PART_CAP);
    return new String(message, start, len, StandardCharsets.UTF_8);
  }

  private void walk(Part part, int depth) throws MessagingException {
    if (++parts > MAX_PARTS || depth > MAX_DEPTH) {
      return;
    }
    ContentType type = contentType(part);
    String base = type.getBaseType().toLowerCase(Locale.ROOT);
    if (base.startsWith("multipart/")) {
      if ("multipart/report".equals(base)) {
        String rt = type.getParameter("report-type");
        if (rt != null && reportType.isEmpty()) {
          reportType = rt.toLowerCase(Locale.ROOT);
        }
      }
      MimeMultipart mp = new MimeMultipart(bounded(part, type));
      int n = Math.min(mp.getCount(), MAX_PARTS);
      for (int i = 0; i < n && parts <= MAX_PARTS; i++) {
        BodyPart child = mp.getBodyPart(i);
        try {
          walk(child, depth + 1);
        } catch (MessagingException | RuntimeException ignored) {
          // one broken part does not hide the others
        }
      }
      return;
    }
    switch (base) {
      case "message/delivery-status", "message/global-delivery-status" -> deliveryStatus(read(part));
      case "message/disposition-notification", "message/global-disposition-notification" -> disposition = true;
      case "message/feedback-report" -> {
        Fields f = Fields.parse(Lines.split(text(read(part), type), 400), 0);
        if (feedback.isEmpty()) {
          feedback = f;
        }
      }
      case "message/rfc822", "message/global", "text/rfc822-headers", "text/rfc822-header",
          "message/global-headers", "message/partial" -> {
        if (base.equals("message/rfc822") && dsnRecipients.isEmpty() && enclosedReport(part, depth)) {
          return;
        }
        if (original.isEmpty()) {
          byte[] bytes = read(part);
          original = Fields.parse(Lines.split(text(bytes, type), 2000), 0);
          if (base.startsWith("message/")) {
            originalBody = bodyOf(bytes);
          }
        }
      }
      default -> {
        if (base.startsWith("text/") || depth == 0) {
          String t = text(read(part), type);
          texts.add(base.equals("text/html") ? Html.strip(t) : t);
        }
      }
    }
  }

  /**
   * Walks an enclosed message that is itself a delivery-status report (a bounce forwarded to the
   * postmaster as an attachment) as part of this one, and returns true; returns false for an ordinary
   * enclosed message, the returned original. Called only while this message has shown no report of its
   * own: a report that has one and encloses another is a bounce of a bounce, whose enclosed report is
   * the returned original.
   */
  private boolean enclosedReport(Part part, int depth) {
    try {
      Object content = part.getContent();
      if (content instanceof MimeMessage enclosed) {
        ContentType type = contentType(enclosed);
        String rt = type.getParameter("report-type");
        if (type.getBaseType().equalsIgnoreCase("multipart/report") && rt != null
            && rt.toLowerCase(Locale.ROOT).contains("delivery-status")) {
          walk(enclosed, depth + 1);
          return true;
        }
      }
    } catch (MessagingException | IOException | RuntimeException unreadable) {
      // read as the original below
    }
    return false;
  }

  /**
   * Returns the multipart's content cut after its {@link #MAX_PARTS}th boundary: Jakarta Mail parses
   * every part of a multipart at once, so a message of 10,000 parts would cost that much work.
   */
  private static jakarta.activation.DataSource bounded(Part part, ContentType type) throws MessagingException {
    byte[] bytes;
    try (InputStream in = part.getInputStream()) {
      bytes = in.readNBytes(BounceAnalyzer.MAX_MESSAGE);
    } catch (IOException e) {
      throw new MessagingException("unreadable multipart", e);
    }
    String boundary = type.getParameter("boundary");
    if (boundary != null && !boundary.isEmpty()) {
      byte[] marker = ("\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
      int seen = 0;
      for (int i = 0; i + marker.length <= bytes.length; i++) {
        if (bytes[i] == '\n' && java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)
            && ++seen > MAX_PARTS) {
          bytes = java.util.Arrays.copyOf(bytes, i + 1);
          break;
        }
      }
    }
    return new jakarta.mail.util.ByteArrayDataSource(bytes, type.toString());
  }

  private void deliveryStatus(byte[] body) {
    List<String> lines = Lines.split(new String(body, StandardCharsets.UTF_8), 4000);
    // Angus's DeliveryStatus reads the well-formed case: one per-message block, then recipient blocks
    try {
      DeliveryStatus ds = new DeliveryStatus(new ByteArrayInputStream(Lines.join(lines)));
      int n = ds.getRecipientDSNCount();
      if (n > 0 && ds.getMessageDSN() != null && !has(ds.getMessageDSN(), "Final-Recipient")) {
        dsnMessage = dsnMessage.isEmpty() ? convert(ds.getMessageDSN()) : dsnMessage;
        for (int i = 0; i < n && dsnRecipients.size() < 200; i++) {
          dsnRecipients.add(convert(ds.getRecipientDSN(i)));
        }
        return;
      }
    } catch (MessagingException | IOException | RuntimeException malformed) {
      // fall through to the lenient reading
    }
    blocks(lines);
  }

  /** Reads field blocks leniently: blank lines may lead, blocks without a recipient are per-message. */
  void blocks(List<String> lines) {
    int i = 0;
    while (i < lines.size() && dsnRecipients.size() < 200) {
      if (Fields.fieldColon(lines.get(i)) < 0) {
        i++;
        continue;
      }
      Fields f = Fields.parse(lines, i);
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).isBlank()
          && (Fields.fieldColon(lines.get(end)) >= 0 || Character.isWhitespace(lines.get(end).charAt(0)))) {
        end++;
      }
      if (f.has("Final-Recipient") || f.has("Original-Recipient")) {
        dsnRecipients.add(f);
      } else if (dsnMessage.isEmpty() && (f.has("Reporting-MTA") || f.has("Original-Envelope-Id")
          || f.has("Arrival-Date"))) {
        dsnMessage = f;
      }
      i = end;
    }
  }

  private static boolean has(InternetHeaders h, String name) {
    String[] v = h.getHeader(name);
    return v != null && v.length > 0;
  }

  private static Fields convert(InternetHeaders h) {
    List<String> lines = new ArrayList<>();
    Enumeration<String> e = h.getAllHeaderLines();
    while (e.hasMoreElements() && lines.size() < Fields.MAX_FIELDS * 4) {
      for (String l : Lines.split(e.nextElement(), 50)) {
        lines.add(l);
      }
    }
    return Fields.parse(lines, 0);
  }

  private static ContentType contentType(Part part) {
    try {
      String ct = part.getContentType();
      return ct == null ? new ContentType("text/plain") : new ContentType(ct);
    } catch (MessagingException | RuntimeException e) {
      try {
        return new ContentType("text/plain");
      } catch (MessagingException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }

  private static byte[] read(Part part) {
    try (InputStream in = part.getInputStream()) {
      return in.readNBytes(PART_CAP);
    } catch (IOException | MessagingException | RuntimeException e) {
      try {
        InputStream raw = part instanceof MimeBodyPart b ? b.getRawInputStream()
            : part instanceof MimeMessage m ? m.getRawInputStream() : null;
        if (raw != null) {
          try (raw) {
            return raw.readNBytes(PART_CAP);
          }
        }
      } catch (IOException | MessagingException | RuntimeException ignored) {
        // nothing readable
      }
      return new byte[0];
    }
  }

  private static String text(byte[] bytes, ContentType type) {
    Charset cs = StandardCharsets.UTF_8;
    String name = type.getParameter("charset");
    if (name != null) {
      try {
        cs = Charset.forName(name.strip().replace("\"", ""));
      } catch (RuntimeException unknown) {
        cs = StandardCharsets.UTF_8;
      }
    }
    return Lines.normalize(new String(bytes, cs));
  }
}
