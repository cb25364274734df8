package org.mailwarden.internal.bounce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Amazon SES notifications delivered by e-mail (an SNS topic subscribed by a mailbox): a JSON document
 * with {@code notificationType} (or, from a configuration set, {@code eventType}) {@code Bounce},
 * {@code Complaint} or {@code Delivery}, either as the whole body or as the string {@code Message} of
 * an SNS envelope. The document is read with Jackson ({@link JsonDocuments}), so white space, key
 * order and escapes do not matter.
 *
 * <p>The Message-ID reported is the original message's {@code Message-ID} header as SES saw it
 * ({@code mail.commonHeaders.messageId}, else the header in {@code mail.headers}), else SES's own
 * message ID ({@code mail.messageId}).
 *
 * <p>Without Jackson on the class path an SES notification yields no record and one warning per
 * JVM names the dependency to add.
 */
final class SesNotification {
  private SesNotification() {}

  private static final Logger log = LoggerFactory.getLogger(SesNotification.class);

  /** The most recipients read from one notification. */
  static final int MAX_RECIPIENTS = 200;
  /** The most places a document may start at that are tried in one text. */
  private static final int MAX_STARTS = 16;

  private static final class Parser {
    static final JsonDocuments JSON = JsonDocuments.find();
  }

  static List<BouncedRecipient> read(List<String> texts) {
    return read(texts, Parser.JSON);
  }

  /** Returns the records of the first text that holds an SES notification, or an empty list. */
  static List<BouncedRecipient> read(List<String> texts, JsonDocuments json) {
    for (String raw : texts) {
      String text = raw.length() > Evidence.PART_CAP ? raw.substring(0, Evidence.PART_CAP) : raw;
      if (!text.contains("notificationType") && !text.contains("eventType")) {
        continue;
      }
      if (!json.available()) {
        if (json.firstMiss()) {
          log.warn("An Amazon SES notification was not read: add {} to the class path", JsonDocuments.MISSING);
        }
        return List.of();
      }
      Map<?, ?> doc = document(unbroken(text), json);
      if (doc != null) {
        return records(doc);
      }
    }
    return List.of();
  }

  /**
   * Removes the line breaks that sendmail inserts into lines longer than 990 octets ("!", a line
   * break, a space). Valid JSON never has them: a raw line break cannot be inside a string, and "!"
   * cannot be outside one.
   */
  static String unbroken(String text) {
    return text.indexOf("!\n ") < 0 && text.indexOf("!\r\n ") < 0
        ? text
        : text.replace("!\r\n ", "").replace("!\n ", "");
  }

  /** Finds the notification: the first object in the text that is one, or whose Message is one. */
  private static Map<?, ?> document(String text, JsonDocuments json) {
    int start = text.indexOf('{');
    for (int tries = 0; start >= 0 && tries < MAX_STARTS; tries++) {
      Map<?, ?> doc = object(text.substring(start), json);
      if (doc != null) {
        if (type(doc) != null) {
          return doc;
        }
        // the SNS envelope carries the SES document as a JSON string
        if (doc.get("Message") instanceof String message) {
          int inner = message.indexOf('{');
          Map<?, ?> ses = inner < 0 ? null : object(message.substring(inner), json);
          if (ses != null && type(ses) != null) {
            return ses;
          }
        }
      }
      start = text.indexOf('{', start + 1);
    }
    return null;
  }

  private static Map<?, ?> object(String text, JsonDocuments json) {
    try {
      return json.read(text) instanceof Map<?, ?> m ? m : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String type(Map<?, ?> doc) {
    String t = string(doc, "notificationType");
    if (t.isEmpty()) {
      t = string(doc, "eventType");
    }
    t = t.toLowerCase(Locale.ROOT);
    return t.equals("bounce") || t.equals("complaint") || t.equals("delivery") ? t : null;
  }

  private static List<BouncedRecipient> records(Map<?, ?> doc) {
    String type = type(doc);
    String messageId = messageId(map(doc, "mail"));
    Map<String, BouncedRecipient> out = new LinkedHashMap<>();
    switch (type) {
      case "delivery" -> {
        Map<?, ?> delivery = map(doc, "delivery");
        String response = string(delivery, "smtpResponse");
        String status = Codes.status(response);
        int reply = Codes.reply(response);
        List<String> rcpts = new ArrayList<>();
        for (Object r : list(delivery, "recipients")) {
          if (r instanceof String s) {
            BounceAnalyzer.addAddresses(rcpts, s);
          }
        }
        for (String r : rcpts) {
          if (out.size() < MAX_RECIPIENTS) {
            out.putIfAbsent(r.toLowerCase(Locale.ROOT), new BouncedRecipient(r, "delivered", status, reply,
                response, BounceReason.DELIVERED, false, null, messageId, null));
          }
        }
      }
      case "complaint" -> {
        Map<?, ?> complaint = map(doc, "complaint");
        String feedbackType = string(complaint, "complaintFeedbackType");
        for (Object o : list(complaint, "complainedRecipients")) {
          String r = address(o);
          if (r != null && out.size() < MAX_RECIPIENTS) {
            out.putIfAbsent(r.toLowerCase(Locale.ROOT), new BouncedRecipient(r, "", "", 0,
                diagnostic((Map<?, ?>) o), BounceReason.FEEDBACK, false, null, messageId,
                feedbackType.isEmpty() ? "abuse" : feedbackType));
          }
        }
      }
      default -> {
        for (Object o : list(map(doc, "bounce"), "bouncedRecipients")) {
          String r = address(o);
          if (r == null || out.size() >= MAX_RECIPIENTS) {
            continue;
          }
          Map<?, ?> f = (Map<?, ?>) o;
          String diag = diagnostic(f);
          String status = Codes.field(string(f, "status"));
          int reply = Codes.reply(diag);
          String action = string(f, "action");
          if (action.isEmpty()) {
            action = "failed";
          }
          BounceReason reason = Reasons.classify(action, status, reply, diag);
          out.putIfAbsent(r.toLowerCase(Locale.ROOT), new BouncedRecipient(r, action, status, reply, diag,
              reason, reason.isHard(reply, status.isEmpty() ? null : status), null, messageId, null));
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  /** The emailAddress of a recipient object, or null when there is none that could be an address. */
  private static String address(Object recipient) {
    if (!(recipient instanceof Map<?, ?> m)) {
      return null;
    }
    String a = string(m, "emailAddress").strip();
    return a.isEmpty() || a.length() > 320 || a.indexOf('@') < 0 ? null : a;
  }

  /** The diagnostic code without its type ("smtp; 550 ..." becomes "550 ..."). */
  private static String diagnostic(Map<?, ?> recipient) {
    String diag = Codes.cap(string(recipient, "diagnosticCode"));
    int semi = diag.indexOf(';');
    return semi > 0 && semi < 12 ? diag.substring(semi + 1).strip() : diag;
  }

  private static String messageId(Map<?, ?> mail) {
    String id = BounceAnalyzer.stripId(string(map(mail, "commonHeaders"), "messageId"));
    if (id == null) {
      for (Object h : list(mail, "headers")) {
        if (h instanceof Map<?, ?> header && string(header, "name").equalsIgnoreCase("Message-ID")) {
          id = BounceAnalyzer.stripId(string(header, "value"));
          break;
        }
      }
    }
    return id != null ? id : BounceAnalyzer.stripId(string(mail, "messageId"));
  }

  private static Map<?, ?> map(Map<?, ?> in, String key) {
    return in.get(key) instanceof Map<?, ?> m ? m : Map.of();
  }

  private static List<?> list(Map<?, ?> in, String key) {
    return in.get(key) instanceof List<?> l ? l : List.of();
  }

  private static String string(Map<?, ?> in, String key) {
    return in.get(key) instanceof String s ? s : "";
  }
}
