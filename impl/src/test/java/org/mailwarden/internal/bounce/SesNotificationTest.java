package org.mailwarden.internal.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.testing.LogCapture;

/**
 * Amazon SES notifications are read as JSON, whatever the white space, key order and escapes, with
 * either Jackson; without Jackson they yield nothing and one warning names what to add.
 */
class SesNotificationTest {

  /** Both Jackson versions, as {@link JsonDocuments#find(java.util.function.Predicate)} picks them. */
  static Stream<JsonDocuments> parsers() {
    return Stream.of(
        JsonDocuments.find(name -> name.startsWith("tools.jackson")),
        JsonDocuments.find(name -> name.startsWith("com.fasterxml.jackson")));
  }

  private static final String BOUNCE = """
      {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[\
      {"emailAddress":"jane@example.com","action":"failed","status":"5.1.1",\
      "diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},\
      "mail":{"messageId":"0100-ses-id-000000","commonHeaders":{"messageId":"<order-17@shop.example>"}}}""";

  @ParameterizedTest
  @MethodSource("parsers")
  void aCompactBounceGivesTheRecipientTheCodesAndTheOriginalMessageId(JsonDocuments json) {
    assertThat(json.available()).isTrue();
    assertThat(SesNotification.read(List.of(BOUNCE), json)).containsExactly(
        new BouncedRecipient("jane@example.com", "failed", "5.1.1", 550, "550 5.1.1 user unknown",
            BounceReason.USERUNKNOWN, true, null, "order-17@shop.example", null));
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void spacesAfterColonsAndLineBreaksDoNotLoseTheMessageId(JsonDocuments json) {
    String pretty = """
        {
          "notificationType" : "Bounce",
          "bounce" : {
            "bouncedRecipients" : [ {
              "emailAddress" : "jane@example.com",
              "action" : "failed",
              "status" : "5.1.1",
              "diagnosticCode" : "smtp; 550 5.1.1 user unknown"
            } ]
          },
          "mail" : {
            "messageId" : "0100-ses-id-000000",
            "commonHeaders" : { "messageId" : "<order-17@shop.example>" }
          }
        }
        """;
    assertThat(SesNotification.read(List.of(pretty), json)).singleElement().satisfies(r -> {
      assertThat(r.recipient()).isEqualTo("jane@example.com");
      assertThat(r.messageId()).isEqualTo("order-17@shop.example");
      assertThat(r.reason()).isEqualTo(BounceReason.USERUNKNOWN);
      assertThat(r.hard()).isTrue();
    });
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void keysInAnyOrderGiveTheSameRecords(JsonDocuments json) {
    String reordered = """
        {"mail":{"commonHeaders":{"subject":"x","messageId":"<order-17@shop.example>"},\
        "messageId":"0100-ses-id-000000"},"bounce":{"bouncedRecipients":[{"diagnosticCode":\
        "smtp; 550 5.1.1 user unknown","status":"5.1.1","action":"failed",\
        "emailAddress":"jane@example.com"}],"bounceType":"Permanent"},"notificationType":"Bounce"}""";
    assertThat(SesNotification.read(List.of(reordered), json))
        .isEqualTo(SesNotification.read(List.of(BOUNCE), json))
        .hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void theSnsEnvelopeCarriesTheNotificationAsAString(JsonDocuments json) {
    String envelope = """
        {
          "Type" : "Notification",
          "MessageId" : "02f86d9b-eecf-573d-b47d-3d1850750c30",
          "Message" : "%s",
          "Timestamp" : "2016-10-21T06:58:02.294Z"
        }
        """.formatted(BOUNCE.replace("\"", "\\\""));
    assertThat(SesNotification.read(List.of(envelope), json))
        .isEqualTo(SesNotification.read(List.of(BOUNCE), json))
        .hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void unicodeEscapesAreDecoded(JsonDocuments json) {
    String escaped = """
        {"notificationType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":\
        "j\\u00f6rg@b\\u00fccher.example","status":"5.1.1","diagnosticCode":\
        "smtp; 550 5.1.1 \\u0022j\\u00f6rg\\u0022 unknown"}]},"mail":{"messageId":"m\\u002d1"}}""";
    assertThat(SesNotification.read(List.of(escaped), json)).singleElement().satisfies(r -> {
      assertThat(r.recipient()).isEqualTo("jörg@bücher.example");
      assertThat(r.diagnostic()).isEqualTo("550 5.1.1 \"jörg\" unknown");
      assertThat(r.messageId()).isEqualTo("m-1");
    });
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void missingFieldsGiveEmptyValuesAndRecipientsWithoutAnAddressAreSkipped(JsonDocuments json) {
    String sparse = """
        {"notificationType":"Bounce","bounce":{"bouncedRecipients":[{"status":"5.1.1"},\
        {"emailAddress":"x@example.com"},{"emailAddress":42},"not an object"]}}""";
    assertThat(SesNotification.read(List.of(sparse), json)).singleElement().satisfies(r -> {
      assertThat(r.recipient()).isEqualTo("x@example.com");
      assertThat(r.action()).isEqualTo("failed");
      assertThat(r.status()).isEmpty();
      assertThat(r.replyCode()).isZero();
      assertThat(r.diagnostic()).isEmpty();
      assertThat(r.messageId()).isNull();
    });
    assertThat(SesNotification.read(List.of("{\"notificationType\":\"Bounce\"}"), json)).isEmpty();
    assertThat(SesNotification.read(List.of("{\"notificationType\":\"Bounce\",\"bounce\":[]}"), json)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void theMessageIdComesFromTheHeadersListWhenCommonHeadersLackIt(JsonDocuments json) {
    String headers = """
        {"notificationType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":"a@example.com"}]},\
        "mail":{"messageId":"0100-ses","headers":[{"name":"From","value":"b@example.com"},\
        {"name":"message-id","value":"<h-1@shop.example>"}]}}""";
    String sesOnly = """
        {"notificationType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":"a@example.com"}]},\
        "mail":{"messageId":"0100-ses"}}""";
    assertThat(SesNotification.read(List.of(headers), json).get(0).messageId()).isEqualTo("h-1@shop.example");
    assertThat(SesNotification.read(List.of(sesOnly), json).get(0).messageId()).isEqualTo("0100-ses");
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void aComplaintIsFeedbackWithItsTypeOrAbuse(JsonDocuments json) {
    String complaint = """
        {"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"a@example.com"}],\
        "complaintFeedbackType":"not-spam"},"mail":{"messageId":"m1"}}""";
    assertThat(SesNotification.read(List.of(complaint), json)).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo(BounceReason.FEEDBACK);
      assertThat(r.feedbackType()).isEqualTo("not-spam");
      assertThat(r.hard()).isFalse();
    });
    String untyped = complaint.replace(",\"complaintFeedbackType\":\"not-spam\"", "");
    assertThat(SesNotification.read(List.of(untyped), json).get(0).feedbackType()).isEqualTo("abuse");
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void aDeliveryGivesEachRecipientDelivered(JsonDocuments json) {
    String delivery = """
        {"eventType":"Delivery","mail":{"messageId":"m1"},"delivery":{"recipients":\
        ["a@example.com","B@example.com","a@example.com"],"smtpResponse":"250 2.6.0 Message received"}}""";
    assertThat(SesNotification.read(List.of(delivery), json))
        .extracting(BouncedRecipient::recipient, BouncedRecipient::status, BouncedRecipient::replyCode,
            BouncedRecipient::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a@example.com", "2.6.0", 250, BounceReason.DELIVERED),
            org.assertj.core.groups.Tuple.tuple("B@example.com", "2.6.0", 250, BounceReason.DELIVERED));
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void textAroundTheDocumentAndSendmailLineBreaksAreIgnored(JsonDocuments json) {
    // sendmail breaks lines longer than 990 octets with "!", a line break and a space
    String mail = "Notification {see below}:\n\n" + BOUNCE.replace("user unknown", "user un!\n known")
        + "\n\n--\nIf you wish to stop receiving notifications from this topic, {unsubscribe}\n";
    assertThat(SesNotification.read(List.of(mail), json))
        .isEqualTo(SesNotification.read(List.of(BOUNCE), json))
        .hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("parsers")
  void otherJsonAndBrokenJsonGiveNothing(JsonDocuments json) {
    assertThat(SesNotification.read(List.of("{\"notificationType\":\"AmazonSnsSubscriptionSucceeded\"}"), json))
        .isEmpty();
    assertThat(SesNotification.read(List.of("{\"notificationType\":\"Bounce\",\"bounce\":{"), json)).isEmpty();
    assertThat(SesNotification.read(List.of("no notificationType here"), json)).isEmpty();
  }

  @Test
  void withoutJacksonANotificationGivesNothingAndOneWarningNamesTheDependency() {
    JsonDocuments none = JsonDocuments.find(name -> false);
    assertThat(none.available()).isFalse();
    try (LogCapture logs = new LogCapture()) {
      assertThat(SesNotification.read(List.of(BOUNCE), none)).isEmpty();
      assertThat(SesNotification.read(List.of(BOUNCE), none)).isEmpty();
      assertThat(logs.messages(Level.WARN)).singleElement().asString()
          .contains("Amazon SES notification was not read")
          .contains("com.fasterxml.jackson.core:jackson-databind")
          .contains("tools.jackson.core:jackson-databind");
    }
  }

  @Test
  void theClassPathParserIsJackson3WhenBothArePresent() {
    assertThat(JsonDocuments.find()).isInstanceOf(JsonDocuments.Jackson3.class);
  }
}
