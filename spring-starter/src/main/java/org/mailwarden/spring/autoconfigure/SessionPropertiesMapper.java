package org.mailwarden.spring.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailwarden.Mailwarden;
import org.springframework.core.env.PropertyResolver;

/**
 * Turns {@link MailwardenProperties} into Jakarta Mail session properties: each {@code mailwarden.x}
 * becomes {@code mail.mailwarden.x} with the value as text, so Mailwarden's own parser checks every
 * value and the effective configuration is what the properties say. The groups of the first release
 * ({@code dsn}, {@code limit}, {@code recipients}, {@code senders}, {@code log}) are mapped with their
 * defaults; the later ones ({@code pool}, {@code dns}, {@code suppression}, {@code reputation},
 * {@code store}, {@code redis}) only where a value is set, so Mailwarden's defaults apply otherwise.
 */
final class SessionPropertiesMapper {

  private static final String SPRING_DATA_REDIS = "spring.data.redis.";

  private SessionPropertiesMapper() {
  }

  /**
   * Maps the properties.
   * @param properties the bound properties
   * @param delegate the delegate to use when {@code mailwarden.delegate} is unset, or null for
   * Mailwarden's default
   * @param environment where {@code spring.data.redis.*} is read when {@code mailwarden.store=redis}
   * and {@code mailwarden.redis.uri} is unset, or null to derive nothing
   * @return the session properties, in a stable order
   */
  static Map<String, String> map(MailwardenProperties properties, String delegate, PropertyResolver environment) {
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
    // the later groups: only what is set (put skips null), so the core's defaults apply
    MailwardenProperties.Pool pool = properties.getPool();
    put(out, "pool.enabled", pool.getEnabled());
    put(out, "pool.max-connections", pool.getMaxConnections());
    put(out, "pool.max-messages-per-connection", pool.getMaxMessagesPerConnection());
    put(out, "pool.idle-timeout", pool.getIdleTimeout());
    put(out, "pool.max-wait", pool.getMaxWait());
    MailwardenProperties.Dns dns = properties.getDns();
    put(out, "dns.servers", dns.getServers());
    put(out, "dns.timeout", dns.getTimeout());
    put(out, "dns.retries", dns.getRetries());
    put(out, "dns.cache.max-ttl", dns.getCache().getMaxTtl());
    put(out, "dns.cache.negative-ttl", dns.getCache().getNegativeTtl());
    put(out, "dns.cache.max-size", dns.getCache().getMaxSize());
    put(out, "dns.on-failure", dns.getOnFailure());
    MailwardenProperties.Suppression suppression = properties.getSuppression();
    put(out, "suppression.store", suppression.getStore());
    put(out, "suppression.file", suppression.getFile());
    put(out, "suppression.soft-threshold", suppression.getSoftThreshold());
    put(out, "suppression.soft-window", suppression.getSoftWindow());
    put(out, "suppression.ttl", suppression.getTtl());
    put(out, "suppression.correlation-window", suppression.getCorrelationWindow());
    put(out, "suppression.correlation-size", suppression.getCorrelationSize());
    MailwardenProperties.Reputation reputation = properties.getReputation();
    put(out, "reputation.enabled", reputation.getEnabled());
    put(out, "reputation.window", reputation.getWindow());
    put(out, "reputation.min-sends", reputation.getMinSends());
    put(out, "reputation.bounce-warning", reputation.getBounceWarning());
    put(out, "reputation.bounce-pause", reputation.getBouncePause());
    put(out, "reputation.complaint-warning", reputation.getComplaintWarning());
    put(out, "reputation.complaint-pause", reputation.getComplaintPause());
    put(out, "reputation.resume", reputation.getResume());
    MailwardenProperties.Redis redis = properties.getRedis();
    put(out, "store", properties.getStore());
    String uri = redis.getUri();
    if (uri == null && properties.getStore() != null && "redis".equalsIgnoreCase(properties.getStore().trim())
        && environment != null) {
      uri = springDataRedisUri(environment);
    }
    put(out, "redis.uri", uri);
    put(out, "redis.key-prefix", redis.getKeyPrefix());
    put(out, "redis.timeout", redis.getTimeout());
    put(out, "store.on-failure", redis.getOnFailure());
    return out;
  }

  /**
   * Returns the Redis URI that Spring Boot's own {@code spring.data.redis.*} properties describe:
   * {@code spring.data.redis.url} as it is when set, otherwise one built from {@code host}
   * ({@code localhost}), {@code port} ({@code 6379}), {@code database} ({@code 0}), {@code username},
   * {@code password} and {@code ssl.enabled} ({@code rediss://}; when unset, an {@code ssl.bundle}
   * turns TLS on, as in Spring Boot). Null when none of them is set. Sentinel and cluster settings are
   * not carried over, nor the trust material of an SSL bundle.
   * @param environment where the properties are read
   * @return the URI, or null
   */
  static String springDataRedisUri(PropertyResolver environment) {
    String url = environment.getProperty(SPRING_DATA_REDIS + "url");
    if (url != null && !url.isBlank()) {
      return url.trim();
    }
    String host = environment.getProperty(SPRING_DATA_REDIS + "host");
    String port = environment.getProperty(SPRING_DATA_REDIS + "port");
    String database = environment.getProperty(SPRING_DATA_REDIS + "database");
    String username = environment.getProperty(SPRING_DATA_REDIS + "username");
    String password = environment.getProperty(SPRING_DATA_REDIS + "password");
    String ssl = environment.getProperty(SPRING_DATA_REDIS + "ssl.enabled");
    String bundle = environment.getProperty(SPRING_DATA_REDIS + "ssl.bundle");
    if (host == null && port == null && database == null && username == null && password == null && ssl == null
        && bundle == null) {
      return null;
    }
    boolean tls = (ssl != null) ? Boolean.parseBoolean(ssl.trim()) : bundle != null;
    String userInfo = null;
    if (username != null && !username.isEmpty()) {
      userInfo = username + ":" + ((password != null) ? password : "");
    }
    else if (password != null && !password.isEmpty()) {
      userInfo = ":" + password;
    }
    try {
      // the multi-argument constructor quotes what must be quoted (an '@' in a password, for example)
      // and puts an IPv6 host in brackets
      return new URI(tls ? "rediss" : "redis", userInfo, (host != null) ? host.trim() : "localhost",
          (port != null) ? Integer.parseInt(port.trim()) : 6379,
          "/" + ((database != null) ? Integer.parseInt(database.trim()) : 0), null, null)
        .toASCIIString();
    }
    catch (URISyntaxException | NumberFormatException ex) {
      // Spring Boot's own binding of spring.data.redis.* reports these; Mailwarden then reports the missing URI
      return null;
    }
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
