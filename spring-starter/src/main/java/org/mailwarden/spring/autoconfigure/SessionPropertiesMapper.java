package org.mailwarden.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailwarden.Mailwarden;

/**
 * Turns {@link MailwardenProperties} into Jakarta Mail session properties: each {@code mailwarden.x}
 * becomes {@code mail.mailwarden.x} with the value as text, defaults included, so Mailwarden's own
 * parser checks every value and the effective configuration is what the properties say.
 */
final class SessionPropertiesMapper {

  private SessionPropertiesMapper() {
  }

  /**
   * Maps the properties.
   * @param properties the bound properties
   * @param delegate the delegate to use when {@code mailwarden.delegate} is unset, or null for
   * Mailwarden's default
   * @return the session properties, in a stable order
   */
  static Map<String, String> map(MailwardenProperties properties, String delegate) {
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "app", properties.getApp());
    put(out, "delegate", (properties.getDelegate() != null) ? properties.getDelegate() : delegate);
    MailwardenProperties.Dsn dsn = properties.getDsn();
    put(out, "dsn.notify", dsn.getNotify());
    put(out, "dsn.allow-success", dsn.isAllowSuccess());
    put(out, "dsn.ret", dsn.getRet());
    put(out, "dsn.allow-full", dsn.isAllowFull());
    put(out, "dsn.envid", dsn.isEnvid());
    put(out, "dsn.require", dsn.isRequire());
    MailwardenProperties.Limit limit = properties.getLimit();
    put(out, "limit.messages-per-second", limit.getMessagesPerSecond());
    put(out, "limit.messages-per-minute", limit.getMessagesPerMinute());
    put(out, "limit.messages-per-hour", limit.getMessagesPerHour());
    put(out, "limit.messages-per-day", limit.getMessagesPerDay());
    put(out, "limit.recipients-per-second", limit.getRecipientsPerSecond());
    put(out, "limit.recipients-per-minute", limit.getRecipientsPerMinute());
    put(out, "limit.recipients-per-hour", limit.getRecipientsPerHour());
    put(out, "limit.recipients-per-day", limit.getRecipientsPerDay());
    put(out, "limit.recipients-per-message", limit.getRecipientsPerMessage());
    put(out, "limit.max-wait", limit.getMaxWait());
    limit.getDomain().forEach((domain, quota) -> {
      // only the limits that are set: a bad domain is then reported on the key the user wrote
      String prefix = "limit.domain." + domain + ".";
      putIfSet(out, prefix + "recipients-per-minute", quota.getRecipientsPerMinute());
      putIfSet(out, prefix + "recipients-per-hour", quota.getRecipientsPerHour());
      putIfSet(out, prefix + "recipients-per-day", quota.getRecipientsPerDay());
    });
    MailwardenProperties.Recipients recipients = properties.getRecipients();
    put(out, "recipients.allow-domains", recipients.getAllowDomains());
    put(out, "recipients.deny-domains", recipients.getDenyDomains());
    put(out, "recipients.on-invalid", recipients.getOnInvalid());
    put(out, "recipients.syntax", recipients.getSyntax());
    put(out, "recipients.check-mx", recipients.isCheckMx());
    put(out, "senders.allow-domains", properties.getSenders().getAllowDomains());
    put(out, "log.show-addresses", properties.getLog().isShowAddresses());
    return out;
  }

  private static void putIfSet(Map<String, String> out, String key, long value) {
    if (value != 0) {
      put(out, key, value);
    }
  }

  private static void put(Map<String, String> out, String key, Object value) {
    if (value == null) {
      return;
    }
    String text;
    if (value instanceof Duration duration) {
      text = duration.toMillis() + "ms";
    }
    else if (value instanceof List<?> list) {
      text = String.join(",", list.stream().map(String::valueOf).toList());
    }
    else {
      text = String.valueOf(value);
    }
    out.put(Mailwarden.PREFIX + key, text);
  }

}
