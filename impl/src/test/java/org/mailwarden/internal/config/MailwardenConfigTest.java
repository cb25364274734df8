package org.mailwarden.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.internal.config.MailwardenConfig.Notify;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;
import org.mailwarden.internal.policy.AddressSyntax;

class MailwardenConfigTest {
  private static MailwardenConfig parse(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    return MailwardenConfig.from(p);
  }

  @Test
  void defaultsAreTheSafeOnesOfTheContract() {
    MailwardenConfig c = parse();
    assertThat(c.app()).isEqualTo("default");
    assertThat(c.delegateProtocol()).isEqualTo("smtp");
    assertThat(c.dsnNotify()).containsExactly(Notify.FAILURE);
    assertThat(c.ret()).isEqualTo("HDRS");
    assertThat(c.envid()).isTrue();
    assertThat(c.requireDsn()).isFalse();
    assertThat(c.messageLimits()).isEmpty();
    assertThat(c.recipientLimits()).containsExactly(
        new Limit("limit.recipients-per-second", 14, Duration.ofSeconds(1)),
        new Limit("limit.recipients-per-day", 50_000, Duration.ofDays(1)));
    assertThat(c.recipientsPerMessage()).isEqualTo(50);
    assertThat(c.maxWait()).isZero();
    assertThat(c.onInvalid()).isEqualTo(OnInvalid.REJECT_MESSAGE);
    assertThat(c.syntax()).isEqualTo(AddressSyntax.Mode.STRICT);
    assertThat(c.allowDomains().isEmpty()).isTrue();
    assertThat(c.showAddresses()).isFalse();
  }

  @Test
  void zeroTurnsADefaultLimitOff() {
    MailwardenConfig c = parse("mail.mailwarden.limit.recipients-per-second", "0",
        "mail.mailwarden.limit.recipients-per-day", "0", "mail.mailwarden.limit.recipients-per-message", "0");
    assertThat(c.recipientLimits()).isEmpty();
    assertThat(c.recipientsPerMessage()).isZero();
  }

  @Test
  void everyKeyIsRead() {
    MailwardenConfig c = parse(
        "mail.mailwarden.app", "shop",
        "mail.mailwarden.delegate", "smtps",
        "mail.mailwarden.dsn.notify", "failure, delay",
        "mail.mailwarden.dsn.envid", "false",
        "mail.mailwarden.dsn.require", "TRUE",
        "mail.mailwarden.limit.messages-per-hour", "1000",
        "mail.mailwarden.limit.domain.GMAIL.com.recipients-per-minute", "20",
        "mail.mailwarden.limit.max-wait", "1500ms",
        "mail.mailwarden.recipients.allow-domains", "example.com, *.example.org",
        "mail.mailwarden.recipients.on-invalid", "drop-recipient",
        "mail.mailwarden.recipients.syntax", "lenient",
        "mail.mailwarden.recipients.check-mx", "false",
        "mail.mailwarden.senders.allow-domains", "shop.example",
        "mail.mailwarden.log.show-addresses", "true");
    assertThat(c.app()).isEqualTo("shop");
    assertThat(c.delegateProtocol()).isEqualTo("smtps");
    assertThat(c.dsnNotify()).containsExactlyInAnyOrder(Notify.FAILURE, Notify.DELAY);
    assertThat(c.envid()).isFalse();
    assertThat(c.requireDsn()).isTrue();
    assertThat(c.messageLimits()).containsExactly(
        new Limit("limit.messages-per-hour", 1000, Duration.ofHours(1)));
    assertThat(c.domainLimits()).containsOnlyKeys("gmail.com");
    assertThat(c.domainLimits().get("gmail.com")).containsExactly(
        new Limit("limit.domain.gmail.com.recipients-per-minute", 20, Duration.ofMinutes(1)));
    assertThat(c.maxWait()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.allowDomains().matches("EXAMPLE.com")).isTrue();
    assertThat(c.allowDomains().matches("a.example.org")).isTrue();
    assertThat(c.allowDomains().matches("example.org")).isFalse();
    assertThat(c.onInvalid()).isEqualTo(OnInvalid.DROP_RECIPIENT);
    assertThat(c.syntax()).isEqualTo(AddressSyntax.Mode.LENIENT);
    assertThat(c.senderDomains().matches("shop.example")).isTrue();
    assertThat(c.showAddresses()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"500ms,500", "30s,30000", "5m,300000", "2h,7200000", "1d,86400000", "250,250",
      "PT1.5S,1500", "0s,0"})
  void durationsUseTheSpringBootStyle(String text, long millis) {
    assertThat(parse("mail.mailwarden.limit.max-wait", text).maxWait()).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "mail.mailwarden.limit.messages-per-minute|ten|whole number",
      "mail.mailwarden.limit.messages-per-minute|-1|whole number",
      "mail.mailwarden.limit.messages-per-minute|1.5|whole number",
      "mail.mailwarden.limit.recipients-per-message|99999999999|whole number",
      "mail.mailwarden.limit.max-wait|5 minutes|duration",
      "mail.mailwarden.limit.max-wait|-5s|duration",
      "mail.mailwarden.dsn.require|yes|true or false",
      "mail.mailwarden.dsn.ret|BODY|HDRS, FULL",
      "mail.mailwarden.dsn.notify|SOMETIMES|NEVER, SUCCESS, FAILURE, DELAY",
      "mail.mailwarden.dsn.notify|NEVER,FAILURE|cannot be combined",
      "mail.mailwarden.delegate|imap|smtp, smtps",
      "mail.mailwarden.recipients.on-invalid|ignore|reject-message, drop-recipient",
      "mail.mailwarden.recipients.syntax|loose|strict, lenient",
      "mail.mailwarden.recipients.deny-domains|exa mple.com|not a domain",
      "mail.mailwarden.recipients.allow-domains|*|not a domain",
      "mail.mailwarden.app|my app|letters, digits",
      "mail.mailwarden.limit.messages-per-week|5|unknown Mailwarden key",
      "mail.mailwarden.limit.domain.gmail.com.recipients-per-second|5|unknown Mailwarden key",
      "mail.mailwarden.quota|5|unknown Mailwarden key",
      "mail.mailwarden.dns.server|127.0.0.1|unknown Mailwarden key"})
  void malformedValueOrUnknownKeyIsRefusedNamingKeyAndValue(String key, String value, String allowed) {
    assertThatThrownBy(() -> parse(key, value))
        .isInstanceOfSatisfying(MailwardenConfigurationException.class, e -> {
          assertThat(e.getKey()).isEqualTo(key);
          assertThat(e.getValue()).isEqualTo(value);
          assertThat(e.getMessage()).contains(key, "'" + value + "'", allowed);
        });
  }

  @Test
  void successNotifyIsRefusedUnlessAllowed() {
    assertThatThrownBy(() -> parse("mail.mailwarden.dsn.notify", "SUCCESS,FAILURE"))
        .isInstanceOf(MailwardenConfigurationException.class)
        .hasMessageContaining("mail.mailwarden.dsn.allow-success=true");
    assertThat(parse("mail.mailwarden.dsn.notify", "SUCCESS,FAILURE", "mail.mailwarden.dsn.allow-success",
        "true").dsnNotify()).containsExactlyInAnyOrder(Notify.SUCCESS, Notify.FAILURE);
  }

  @Test
  void fullReturnIsRefusedUnlessAllowed() {
    assertThatThrownBy(() -> parse("mail.mailwarden.dsn.ret", "FULL"))
        .isInstanceOf(MailwardenConfigurationException.class)
        .hasMessageContaining("mail.mailwarden.dsn.allow-full=true");
    assertThat(parse("mail.mailwarden.dsn.ret", "full", "mail.mailwarden.dsn.allow-full", "true").ret())
        .isEqualTo("FULL");
  }

  // --- recipient domain checks in DNS (recipients.check-mx, dns.*) ---

  @Test
  void mxChecksAreOffByDefaultWithBoundedDnsDefaults() {
    MailwardenConfig c = parse();
    assertThat(c.checkMx()).isFalse();
    assertThat(c.dns().servers()).isEmpty();
    assertThat(c.dns().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.dns().retries()).isEqualTo(1);
    assertThat(c.dns().budget()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.dns().maxTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(c.dns().negativeTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.dns().maxSize()).isEqualTo(10_000);
    assertThat(c.dns().onFailure()).isEqualTo(DnsSettings.OnFailure.SEND);
  }

  @Test
  void everyDnsKeyIsRead() {
    MailwardenConfig c = parse("mail.mailwarden.recipients.check-mx", "true",
        "mail.mailwarden.dns.servers", "127.0.0.1, 127.0.0.2:5353, [::1]:5300, ::1",
        "mail.mailwarden.dns.timeout", "300ms", "mail.mailwarden.dns.retries", "2",
        "mail.mailwarden.dns.cache.max-ttl", "10m", "mail.mailwarden.dns.cache.negative-ttl", "30s",
        "mail.mailwarden.dns.cache.max-size", "500", "mail.mailwarden.dns.on-failure", "REFUSE");
    assertThat(c.checkMx()).isTrue();
    assertThat(c.dns().servers()).extracting(a -> a.getAddress().getHostAddress() + "#" + a.getPort())
        .containsExactly("127.0.0.1#53", "127.0.0.2#5353", "0:0:0:0:0:0:0:1#5300", "0:0:0:0:0:0:0:1#53");
    assertThat(c.dns().timeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(c.dns().retries()).isEqualTo(2);
    assertThat(c.dns().budget()).isEqualTo(Duration.ofMillis(900));
    assertThat(c.dns().maxTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.dns().negativeTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.dns().maxSize()).isEqualTo(500);
    assertThat(c.dns().onFailure()).isEqualTo(DnsSettings.OnFailure.REFUSE);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "dns.servers|127.0.0.1:99999|port from 1 to 65535",
      "dns.servers|127.0.0.1:x|port from 1 to 65535",
      "dns.servers|' , '|one or more servers",
      "dns.servers|[::1|[IPv6]:port",
      "dns.timeout|0s|above zero",
      "dns.timeout|soon|non-negative duration",
      "dns.retries|11|0 to 10",
      "dns.retries|-1|whole number",
      "dns.cache.max-size|0|at least 1",
      "dns.on-failure|ignore|send, refuse",
      "recipients.check-mx|yes|true or false"})
  void malformedDnsValueIsRefusedNamingKeyAndValue(String key, String value, String allowed) {
    assertThatThrownBy(() -> parse("mail.mailwarden." + key, value))
        .isInstanceOf(MailwardenConfigurationException.class)
        .hasMessageContaining("mail.mailwarden." + key).hasMessageContaining(value.trim())
        .hasMessageContaining(allowed);
  }

  // --- end of recipient domain checks ---

  @Test
  void delegateKeysUnderOurPrefixAreRenamedForTheDelegate() {
    MailwardenConfig c = parse("mail.mailwarden.ssl.trust", "relay.example.com",
        "mail.mailwarden.starttls.required", "true", "mail.mailwarden.timeout", "5000",
        "mail.mailwarden.delegate", "smtps");
    assertThat(c.delegateProperties()).containsEntry("mail.smtps.ssl.trust", "relay.example.com")
        .containsEntry("mail.smtps.starttls.required", "true").containsEntry("mail.smtps.timeout", "5000");
  }

  @Test
  void objectValuedDelegateKeysPassThroughUnchanged() {
    Properties p = new Properties();
    Object factory = new Object();
    p.put("mail.mailwarden.ssl.socketFactory", factory);
    assertThat(MailwardenConfig.from(p).delegateProperties()).containsEntry("mail.smtp.ssl.socketFactory", factory);
  }

  @Test
  void listenerObjectsAreAccepted() {
    Properties p = new Properties();
    MailwardenListener listener = new MailwardenListener() {};
    p.put("mail.mailwarden.listener", listener);
    assertThat(MailwardenConfig.from(p).listeners()).containsExactly(listener);
  }

  @Test
  void keysInheritedFromDefaultPropertiesAreRead() {
    Properties defaults = new Properties();
    defaults.setProperty("mail.mailwarden.app", "inherited");
    assertThat(MailwardenConfig.from(new Properties(defaults)).app()).isEqualTo("inherited");
  }

  @Test
  void keysOutsideOurPrefixAreIgnored() {
    assertThat(parse("mail.smtp.whatever", "x", "mail.mailwardenx.app", "y").app()).isEqualTo("default");
  }

  @Test
  void everyKeyIsDeclaredOnceInTheCatalogue() {
    assertThat(Keys.ALL).extracting(Key::name).doesNotHaveDuplicates();
    assertThat(Keys.ALL).filteredOn(k -> k.kind() == Key.Kind.VALUE).allSatisfy(k -> assertThat(Keys.find(k.name())).isSameAs(k));
  }

  @Test
  void effectivePoliciesShowEveryKeyWithAValueButNotSecretsObjectsOrLimitsThatAreOff() {
    MailwardenConfig c = parse("mail.mailwarden.redis.uri", "redis://user:secret@127.0.0.1:6379/0",
        "mail.mailwarden.limit.domain.gmail.com.recipients-per-hour", "30",
        "mail.mailwarden.reputation.bounce-warning", "2.5%");
    assertThat(c.effectivePolicies()).containsEntry("pool.idle-timeout", "30000ms")
        .containsEntry("reputation.bounce-warning", "2.5%").containsEntry("dns.on-failure", "send")
        .containsEntry("limit.domain.gmail.com.recipients-per-hour", "30")
        .containsEntry("limit.recipients-per-second", "14")
        .doesNotContainKeys("redis.uri", "redis.client", "listener", "limit.messages-per-minute");
    assertThat(c.toString()).doesNotContain("secret").contains("app=default");
  }
}
