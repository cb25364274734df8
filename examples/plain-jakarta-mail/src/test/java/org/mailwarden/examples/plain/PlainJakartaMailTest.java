package org.mailwarden.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlainJakartaMailTest {
  @RegisterExtension
  static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private Properties props() throws Exception {
    Properties props = PlainJakartaMail.load();
    props.put("mail.smtp.port", Integer.toString(greenMail.getSmtp().getPort()));
    return props;
  }

  @Test
  void propertiesAloneRouteTransportSendThroughMailwarden() throws Exception {
    assertThat(PlainJakartaMail.send(props(), "jane@example.com")).isEqualTo("sent to jane@example.com");
    assertThat(PlainJakartaMail.send(props(), "boss@competitor.example")).isEqualTo("refused: denied-domain");
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }
}
