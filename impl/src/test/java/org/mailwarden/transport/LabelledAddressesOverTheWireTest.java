package org.mailwarden.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.testing.Mails;
import org.mailwarden.testing.Running;
import org.mailwarden.testing.SmtpSink;

/**
 * The 815 externally labelled addresses of {@code addresses/policy-labels.jsonl}, each handed to
 * {@code Transport.send} as a raw {@link InternetAddress} (built with {@code setAddress}, so Jakarta
 * Mail's parser does not pre-filter it): Mailwarden refuses exactly the ones the label refuses.
 */
class LabelledAddressesOverTheWireTest {
  @RegisterExtension
  static final Running<SmtpSink> sink = Running.perClass(SmtpSink::start);

  record Label(String id, String address, boolean strict, boolean lenient) {}

  static List<Label> labels() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<Label> labels = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        LabelledAddressesOverTheWireTest.class.getResourceAsStream("/addresses/policy-labels.jsonl"),
        StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.isBlank()) {
          JsonNode n = json.readTree(line);
          labels.add(new Label(n.get("source").asText() + "/" + n.get("id").asText(),
              n.get("address").asText(), n.get("guard_strict").asBoolean(),
              n.get("guard_lenient").asBoolean()));
        }
      }
    }
    return labels;
  }

  @ParameterizedTest
  @CsvSource({"strict", "lenient"})
  void mailwardenRefusesExactlyTheAddressesTheLabelRefuses(String syntax) throws Exception {
    Properties p = Mails.properties(sink.get().port());
    p.put("mail.mailwarden.recipients.syntax", syntax);
    p.put("mail.mailwarden.limit.recipients-per-second", "0");
    p.put("mail.mailwarden.limit.recipients-per-day", "0");
    p.put("mail.mime.allowutf8", "true");
    Session session = Mails.session(p);
    MimeMessage message = Mails.message(session, "customer@example.com");

    List<Label> labels = labels();
    List<String> disagreements = new ArrayList<>();
    int acceptedThatLabelRefuses = 0;
    for (Label label : labels) {
      InternetAddress raw = new InternetAddress();
      raw.setAddress(label.address());
      boolean refused;
      try {
        Transport.send(message, new Address[] {raw});
        refused = false;
      } catch (RecipientRejectedException e) {
        refused = true;
      } catch (MessagingException e) {
        refused = false; // Mailwarden let it through; the server or Angus refused it
      }
      boolean expected = syntax.equals("strict") ? label.strict() : label.lenient();
      if (refused == expected) {
        disagreements.add(label.id() + " " + label.address().replace("\r", "\\r").replace("\n", "\\n")
            + " expected " + (expected ? "accept" : "refuse"));
        if (!refused) {
          acceptedThatLabelRefuses++;
        }
      }
    }

    assertThat(labels).hasSize(815);
    assertThat(acceptedThatLabelRefuses).isZero();
    assertThat(disagreements).isEmpty();
  }
}
