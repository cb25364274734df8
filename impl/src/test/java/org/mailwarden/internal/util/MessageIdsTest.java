package org.mailwarden.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link MessageIds#of} gives what Jakarta Mail's own {@code getMessageID()} gives, on any header block. */
class MessageIdsTest {
  private final Session session = Session.getInstance(new Properties());

  @ParameterizedTest
  @ValueSource(strings = {
      "Message-ID: <a@example.com>\r\n",
      "message-id: <lower@example.com>\r\n",
      "MESSAGE-ID:<tight@example.com>\r\n",
      "Message-ID :  <space-before-colon@example.com>\r\n",
      "Message-ID:\r\n <folded@example.com>\r\n",
      "Message-ID: <first@example.com>\r\nMessage-ID: <second@example.com>\r\n",
      "Message-IDs: <not-it@example.com>\r\n",
      "X-Message-ID: <not-it@example.com>\r\n",
      "Message-ID-X: <not-it@example.com>\r\n",
      "Subject: none here\r\n",
      "Subject: a\r\nMessage-Id: <after-others@example.com>\r\nX-Tail: z\r\n"})
  void readsWhatGetMessageIdReads(String headers) throws Exception {
    MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(
        (headers + "\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)));
    assertThat(MessageIds.of(parsed)).isEqualTo(parsed.getMessageID());
  }

  @Test
  void readsTheIdThatSavingAssigns() throws Exception {
    MimeMessage message = new MimeMessage(session);
    message.setText("hello");
    assertThat(MessageIds.of(message)).isNull();
    message.saveChanges();
    assertThat(MessageIds.of(message)).isNotNull().isEqualTo(message.getMessageID());
    message.setHeader("Message-ID", "<set@example.com>");
    assertThat(MessageIds.of(message)).isEqualTo("<set@example.com>");
  }

  @Test
  void noMimeMessageHasNoId() {
    assertThat(MessageIds.of(null)).isNull();
  }
}
