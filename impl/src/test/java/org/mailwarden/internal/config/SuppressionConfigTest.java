package org.mailwarden.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mailwarden.MailwardenConfigurationException;

/** The suppression.* and reputation.* keys: defaults, and errors that name the key. */
class SuppressionConfigTest {
  private static MailwardenConfig parse(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.put("mail.mailwarden." + kv[i], kv[i + 1]);
    }
    return MailwardenConfig.from(p);
  }

  @Test
  void defaultsAreAListInMemoryNoExpiryAndSesThresholds() {
    SuppressionSettings s = parse("app", "orders").suppression();
    assertThat(s.store()).isEqualTo(SuppressionSettings.Store.MEMORY);
    assertThat(s.file()).isNull();
    assertThat(s.softThreshold()).isEqualTo(3);
    assertThat(s.softWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(s.ttl()).isZero();
    assertThat(s.reputation().bounceWarning()).isEqualTo(0.05);
    assertThat(s.reputation().bouncePause()).isEqualTo(0.10);
    assertThat(s.reputation().complaintWarning()).isEqualTo(0.001);
    assertThat(s.reputation().complaintPause()).isEqualTo(0.005);
    assertThat(s.reputation().resume()).isEqualTo(SuppressionSettings.Resume.MANUAL);
  }

  @Test
  void valuesAreParsed() {
    SuppressionSettings s = parse("suppression.store", "memory", "suppression.ttl", "365d",
        "reputation.bounce-pause", "8%", "reputation.complaint-warning", "0.2").suppression();
    assertThat(s.store()).isEqualTo(SuppressionSettings.Store.MEMORY);
    assertThat(s.file()).isNull();
    assertThat(s.ttl()).isEqualTo(Duration.ofDays(365));
    assertThat(s.reputation().bouncePause()).isEqualTo(0.08);
    assertThat(s.reputation().complaintWarning()).isEqualTo(0.002);
  }

  @Test
  void fileStoreWithoutAFileIsAJournalInTheHomeDirectory() {
    SuppressionSettings s = parse("app", "orders", "suppression.store", "file").suppression();
    assertThat(s.store()).isEqualTo(SuppressionSettings.Store.FILE);
    assertThat(s.file()).isEqualTo(Path.of(System.getProperty("user.home"), ".mailwarden", "orders.suppressions"));
  }

  @Test
  void aFileAloneSelectsTheFileStore() {
    SuppressionSettings s = parse("suppression.file", "/var/lib/shop/orders.suppressions").suppression();
    assertThat(s.store()).isEqualTo(SuppressionSettings.Store.FILE);
    assertThat(s.file()).isEqualTo(Path.of("/var/lib/shop/orders.suppressions"));
  }

  @Test
  void aPauseSetBelowTheDefaultWarningBlamesThePauseInPercent() {
    assertThatThrownBy(() -> parse("reputation.bounce-pause", "0.2"))
        .isInstanceOfSatisfying(MailwardenConfigurationException.class, e -> {
          assertThat(e.getKey()).isEqualTo("mail.mailwarden.reputation.bounce-pause");
          assertThat(e.getValue()).isEqualTo("0.2%");
          assertThat(e.getProblem()).contains("reputation.bounce-warning (5%, its default)");
        });
  }

  @Test
  void malformedValuesNameTheKey() {
    assertThatThrownBy(() -> parse("suppression.store", "disk"))
        .isInstanceOf(MailwardenConfigurationException.class)
        .hasMessageContaining("mail.mailwarden.suppression.store").hasMessageContaining("file, memory, none");
    assertThatThrownBy(() -> parse("reputation.bounce-pause", "150%"))
        .hasMessageContaining("mail.mailwarden.reputation.bounce-pause");
    assertThatThrownBy(() -> parse("reputation.bounce-warning", "20%"))
        .hasMessageContaining("mail.mailwarden.reputation.bounce-warning").hasMessageContaining("bounce-pause");
    assertThatThrownBy(() -> parse("suppression.soft-window", "0"))
        .hasMessageContaining("mail.mailwarden.suppression.soft-window");
    assertThatThrownBy(() -> parse("suppression.softthreshold", "3"))
        .hasMessageContaining("unknown Mailwarden key");
  }
}
