package org.mailwarden.internal.bounce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * Amazon SES notifications delivered by e-mail (an SNS topic subscribed by a mailbox): a JSON document
 * with {@code notificationType} {@code Bounce}, {@code Complaint} or {@code Delivery}. Only the few
 * string fields needed are read, with flat patterns over bounded text.
 */
final class SesNotification {
  private SesNotification() {}

  private static final Pattern TYPE = Pattern.compile("\"notificationType\"\\s*:\\s*\"(\\w{1,20})\"");
  private static final Pattern BOUNCED = Pattern.compile(
      "\\{\"emailAddress\"\\s*:\\s*\"([^\"]{1,320})\"([^}]{0,2000})\\}");
  private static final Pattern FIELD = Pattern.compile("\"(\\w{1,30})\"\\s*:\\s*\"([^\"]{0,2000})\"");
  private static final Pattern LIST = Pattern.compile("\"recipients\"\\s*:\\s*\\[([^\\]]{0,8000})\\]");

  static List<BouncedRecipient> read(List<String> texts) {
    for (String raw : texts) {
      String text = raw.length() > Evidence.PART_CAP ? raw.substring(0, Evidence.PART_CAP) : raw;
      if (text.contains("\\\"notificationType\\\"")) {
        // the SNS envelope carries the SES document as an escaped JSON string
        text = text.replace("\\\"", "\"");
      }
      Matcher t = TYPE.matcher(text);
      if (!t.find()) {
        continue;
      }
      String type = t.group(1).toLowerCase(Locale.ROOT);
      String messageId = field(text, "messageId");
      Map<String, BouncedRecipient> out = new LinkedHashMap<>();
      if (type.equals("delivery")) {
        Matcher l = LIST.matcher(text);
        String response = field(text, "smtpResponse");
        String status = Codes.status(response);
        int reply = Codes.reply(response);
        if (l.find()) {
          List<String> rcpts = new ArrayList<>();
          BounceAnalyzer.addAddresses(rcpts, l.group(1));
          for (String r : rcpts) {
            out.putIfAbsent(r.toLowerCase(Locale.ROOT), new BouncedRecipient(r, "delivered", status, reply,
                response, BounceReason.DELIVERED, false, null, messageId, null));
          }
        }
      } else {
        Matcher b = BOUNCED.matcher(text);
        String feedbackType = field(text, "complaintFeedbackType");
        while (b.find() && out.size() < 200) {
          String r = b.group(1);
          Map<String, String> f = fields(b.group(2));
          String diag = f.getOrDefault("diagnosticCode", "");
          int semi = diag.indexOf(';');
          if (semi > 0 && semi < 12) {
            diag = diag.substring(semi + 1).strip();
          }
          if (type.equals("complaint")) {
            out.putIfAbsent(r.toLowerCase(Locale.ROOT), new BouncedRecipient(r, "", "", 0, diag,
                BounceReason.FEEDBACK, false, null, messageId, feedbackType.isEmpty() ? "abuse" : feedbackType));
            continue;
          }
          String status = Codes.field(f.get("status"));
          int reply = Codes.reply(diag);
          String action = f.getOrDefault("action", "failed");
          BounceReason reason = Reasons.classify(action, status, reply, diag);
          out.putIfAbsent(r.toLowerCase(Locale.ROOT), new BouncedRecipient(r, action, status, reply, diag,
              reason, reason.isHard(reply, status.isEmpty() ? null : status), null, messageId, null));
        }
      }
      return new ArrayList<>(out.values());
    }
    return List.of();
  }

  private static String field(String text, String name) {
    Map<String, String> f = fields(text);
    return f.getOrDefault(name, "");
  }

  private static Map<String, String> fields(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = FIELD.matcher(text);
    while (m.find() && out.size() < 500) {
      out.putIfAbsent(m.group(1), m.group(2));
    }
    return out;
  }
}
