package org.mailwarden.spring.autoconfigure;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.mailwarden.Mailwarden;
import org.mailwarden.internal.config.Key;
import org.mailwarden.internal.config.Keys;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ReflectionUtils;

/**
 * Turns {@link MailwardenProperties} into Jakarta Mail session properties: each {@code mailwarden.x}
 * that is set becomes {@code mail.mailwarden.x} with the value as text, so Mailwarden's own parser
 * checks every value and the effective configuration is what the properties say. Values that are not
 * set are not passed on, so Mailwarden's defaults apply. The properties are walked as they are
 * declared, so a new property needs no code here.
 */
final class SessionPropertiesMapper {

  private static final String SPRING_DATA_REDIS = "spring.data.redis.";

  /** The Spring Boot names that differ from the session key (see {@link MailwardenProperties}). */
  private static final Map<String, String> SESSION_NAMES = Map.of("redis.on-failure", "store.on-failure");

  /**
   * Properties of the starter itself, which are no session keys ('stream-provider.fix' is read by
   * {@link MailwardenStreamProviderEnvironmentPostProcessor}).
   */
  private static final Set<String> STARTER_ONLY = Set.of("enabled", "stream-provider.fix");

  /** Where {@code mailwarden.app} comes from when it is unset. */
  static final String APPLICATION_NAME = "spring.application.name";

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
    if (delegate != null) {
      out.put(Mailwarden.PREFIX + "delegate", delegate);
    }
    walk(out, "", properties);
    if (properties.store() == MailwardenProperties.Store.REDIS && properties.redis().uri() == null
        && environment != null) {
      String uri = springDataRedisUri(environment);
      if (uri != null) {
        out.put(Mailwarden.PREFIX + "redis.uri", uri);
      }
    }
    return out;
  }

  private static void walk(Map<String, String> out, String path, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Record group) {
      for (RecordComponent component : group.getClass().getRecordComponents()) {
        Name bound = ReflectionUtils.findField(group.getClass(), component.getName()).getAnnotation(Name.class);
        String name = (bound != null) ? bound.value()
            : component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        walk(out, path + name + ".", ReflectionUtils.invokeMethod(component.getAccessor(), group));
      }
    }
    else if (value instanceof Map<?, ?> map) {
      map.forEach((key, nested) -> walk(out, path + key + ".", nested));
    }
    else {
      String key = tenantKey(path.substring(0, path.length() - 1));
      if (STARTER_ONLY.contains(key)) {
        return;
      }
      out.put(Mailwarden.PREFIX + SESSION_NAMES.getOrDefault(key, key), text(value));
    }
  }

  /**
   * Puts the mapped {@code mailwarden.*} values into a sender's session properties, which already hold
   * {@code spring.mail.properties.*}: a key set only one way is kept as it was set; a key set both ways
   * must mean the same value (compared as Mailwarden parses it, so {@code 1h} equals
   * {@code 3600000ms}), otherwise nothing is merged and the conflict is thrown. When neither way names
   * the application, {@code spring.application.name} does.
   * @param session the session properties of a sender
   * @param mapped the result of {@link #map}
   * @param environment where {@code spring.application.name} is read, or null
   * @throws MailwardenPropertiesConflictException naming both keys and both values
   */
  static void merge(Properties session, Map<String, String> mapped, PropertyResolver environment) {
    for (Map.Entry<String, String> entry : mapped.entrySet()) {
      Object existing = session.get(entry.getKey());
      if (existing instanceof String set && !sameValue(entry.getKey(), set, entry.getValue())) {
        throw new MailwardenPropertiesConflictException(entry.getKey(), set, entry.getValue());
      }
    }
    session.putAll(mapped);
    String app = Mailwarden.PREFIX + "app";
    if (session.get(app) == null && environment != null) {
      String name = environment.getProperty(APPLICATION_NAME);
      if (name != null && !name.isBlank()) {
        session.put(app, name.trim());
      }
    }
  }

  private static boolean sameValue(String sessionKey, String a, String b) {
    if (a.trim().equals(b.trim())) {
      return true;
    }
    Key<?> key = Keys.find(sessionKey.substring(Mailwarden.PREFIX.length()));
    if (key == null) {
      return false;
    }
    try {
      return Objects.equals(key.parse(sessionKey, a), key.parse(sessionKey, b));
    }
    catch (RuntimeException ex) {
      // a malformed value: reported as a conflict, and Mailwarden names the malformed one once it is resolved
      return false;
    }
  }

  /**
   * Returns the session key of a {@code tenants.<tenant>.*} property: {@code tenant.limit.<tenant>.*}
   * for its limits, {@code tenant.<tenant>.*} for the rest; any other key as it is.
   */
  private static String tenantKey(String key) {
    if (!key.startsWith("tenants.")) {
      return key;
    }
    String rest = key.substring("tenants.".length());
    int dot = rest.indexOf('.');
    String tenant = rest.substring(0, dot);
    String property = rest.substring(dot + 1);
    return property.startsWith("limit.") ? "tenant.limit." + tenant + property.substring("limit".length())
        : "tenant." + tenant + "." + property;
  }

  private static String text(Object value) {
    if (value instanceof Duration duration) {
      return duration.toMillis() + "ms";
    }
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
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

}
