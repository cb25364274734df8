package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mailwarden.DelegateProtocol;
import org.mailwarden.DsnNotify;
import org.mailwarden.DsnReturn;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenConfigurationException;
import org.mailwarden.MailwardenListener;
import org.mailwarden.OnInvalidRecipient;
import org.mailwarden.RecipientSyntax;

/** The typed builder: each option set once, values checked when set, combinations when built. */
class MailwardenBuilderTest {

  @Test
  void typedOptionsBecomeTheKeysMailwardenParses() {
    Mailwarden mailwarden = Mailwarden.builder().app("builder-typed").delegate(DelegateProtocol.SMTPS)
        .dsnNotify(DsnNotify.FAILURE, DsnNotify.DELAY).dsnReturn(DsnReturn.FULL).allowDsnFull(true)
        .onInvalidRecipient(OnInvalidRecipient.DROP_RECIPIENT).recipientSyntax(RecipientSyntax.LENIENT)
        .maxWait(Duration.ofMillis(1500)).domainRecipientsPer("gmail.com", Duration.ofMinutes(1), 20)
        .build();

    assertThat(mailwarden.policies()).containsEntry("delegate", "smtps")
        .containsEntry("dsn.notify", "FAILURE,DELAY").containsEntry("dsn.ret", "FULL")
        .containsEntry("recipients.on-invalid", "drop-recipient").containsEntry("recipients.syntax", "lenient")
        .containsEntry("limit.max-wait", "1500ms")
        .containsEntry("limit.domain.gmail.com.recipients-per-minute", "20");
  }

  @Test
  void anOptionSetTwiceIsRefusedNamingItAndItsValue() {
    Mailwarden.Builder builder = Mailwarden.builder().app("orders");
    assertThatThrownBy(() -> builder.app("billing")).isInstanceOf(IllegalStateException.class)
        .hasMessage("app was already set to orders");
    builder.messagesPer(Duration.ofMinutes(1), 100);
    assertThatThrownBy(() -> builder.property("limit.messages-per-minute", "5"))
        .isInstanceOf(IllegalStateException.class).hasMessage("limit.messages-per-minute was already set to 100");
  }

  @Test
  void aBadValueIsRefusedWhenSetNamingTheOptionAndTheValue() {
    assertThatThrownBy(() -> Mailwarden.builder().messagesPer(Duration.ofMinutes(1), -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit.messages-per-minute")
        .hasMessageEndingWith(": -1");
    assertThatThrownBy(() -> Mailwarden.builder().maxWait(Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit.max-wait").hasMessageContaining("PT-2S");
    assertThatThrownBy(() -> Mailwarden.builder().dsnNotify(DsnNotify.NEVER, DsnNotify.FAILURE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dsn.notify").hasMessageContaining("NEVER");
    assertThatThrownBy(() -> Mailwarden.builder().domainRecipientsPer("gmail.com", Duration.ofSeconds(1), 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1S");
    assertThatThrownBy(() -> Mailwarden.builder().denyRecipientDomains())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recipients.deny-domains");
  }

  @Test
  void conflictingOptionsAreRefusedByBuild() {
    assertThatThrownBy(() -> Mailwarden.builder().dsnNotify(DsnNotify.SUCCESS).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowDsnSuccess(true)");
    assertThatThrownBy(() -> Mailwarden.builder().dsnReturn(DsnReturn.FULL).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowDsnFull(true)");
    assertThat(Mailwarden.builder().app("builder-success").dsnNotify(DsnNotify.SUCCESS).allowDsnSuccess(true)
        .build().policies()).containsEntry("dsn.notify", "SUCCESS");
  }

  @Test
  void whatOnlyTheCoreCanCheckIsRefusedByBuildNamingTheKey() {
    assertThatThrownBy(() -> Mailwarden.builder().app("my app").build())
        .isInstanceOfSatisfying(MailwardenConfigurationException.class,
            e -> assertThat(e.getKey()).isEqualTo("mail.mailwarden.app"));
  }

  @Test
  void toStringShowsOnlyWhatWasSet() {
    assertThat(Mailwarden.builder()).hasToString("Mailwarden.Builder{}");
    MailwardenListener listener = new MailwardenListener() {
      @Override
      public String toString() {
        return "audit";
      }
    };
    assertThat(Mailwarden.builder().app("orders").requireDsn(true).listener(listener))
        .hasToString("Mailwarden.Builder{app=orders, dsn.require=true, listener=[audit]}");
  }
}
