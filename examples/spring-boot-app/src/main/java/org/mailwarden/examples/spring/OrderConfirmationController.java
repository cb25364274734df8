package org.mailwarden.examples.spring;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.SendRefusedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /orders/{id}/confirmation} with form parameter {@code to}: mails the confirmation and
 * answers
 * <ul>
 * <li>202 when the server accepted it;</li>
 * <li>429 with {@code Retry-After} (seconds) when a Mailwarden quota refused it;</li>
 * <li>422 with {@code {"rejected":[{"address":..., "reason":..., "detail":...}]}} when Mailwarden
 * refused the recipient;</li>
 * <li>503 with the reason when another Mailwarden policy refused it (for example a sender outside
 * {@code mailwarden.senders.allow-domains}).</li>
 * </ul>
 * {@code POST /tenants/{tenant}/orders/{id}/confirmation} does the same for one of the shop's tenants:
 * the controller does not name the tenant, {@link OrderApplication#tenantFromPath()} finds it in the
 * request path, and Mailwarden applies that tenant's quotas ({@code mailwarden.tenant.*}).
 */
@RestController
class OrderConfirmationController {

  private final JavaMailSender mailSender;

  private final String from;

  OrderConfirmationController(JavaMailSender mailSender, @Value("${shop.mail.from}") String from) {
    this.mailSender = mailSender;
    this.from = from;
  }

  @PostMapping("/orders/{id}/confirmation")
  ResponseEntity<Object> confirm(@PathVariable("id") String id, @RequestParam("to") String to) throws MessagingException {
    MimeMessage message = this.mailSender.createMimeMessage();
    message.setFrom(new InternetAddress(this.from));
    // the address as the customer typed it, unchecked: Mailwarden judges it and says why it refuses
    InternetAddress recipient = new InternetAddress();
    recipient.setAddress(to);
    message.setRecipient(MimeMessage.RecipientType.TO, recipient);
    message.setSubject("Your order " + id + " is confirmed");
    message.setText("Thank you for your order " + id + ". We will let you know when it ships.\n");
    try {
      this.mailSender.send(message);
    }
    catch (MailSendException ex) {
      return refusal(ex, to).orElseThrow(() -> ex);
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("order", id, "status", "sent"));
  }

  @PostMapping("/tenants/{tenant}/orders/{id}/confirmation")
  ResponseEntity<Object> confirmForTenant(@PathVariable("id") String id, @RequestParam("to") String to)
      throws MessagingException {
    return confirm(id, to);
  }

  /** Spring keeps the exception of each failed message; Mailwarden's refusals are among them. */
  private static Optional<ResponseEntity<Object>> refusal(MailSendException ex, String to) {
    for (Exception failure : ex.getFailedMessages().values()) {
      if (failure instanceof QuotaExceededException quota) {
        long seconds = Math.max(1, (quota.getRetryAfter().toMillis() + 999) / 1000);
        return Optional.of(ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
          .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
          .body(Map.of("refused", quota.getReason().code(), "limit", quota.getLimit(), "retryAfterSeconds", seconds)));
      }
      if (failure instanceof RecipientRejectedException rejected) {
        List<Rejected> list = rejected.getRejections()
          .stream()
          .map((r) -> new Rejected(r.address().getAddress(), r.reason().code(), r.detail()))
          .toList();
        return Optional.of(ResponseEntity.unprocessableContent().body(new Rejections(list)));
      }
      if (failure instanceof SendRefusedException refused) {
        return Optional.of(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .body(Map.of("refused", refused.getReason().code(), "detail", refused.getMessage())));
      }
      if (failure instanceof AddressException malformed) {
        // Jakarta Mail's own parser refused the address before Mailwarden saw it; this happens only
        // when spring.mail.properties.mail.mime.address.strict is not false
        return Optional.of(ResponseEntity.unprocessableContent()
          .body(new Rejections(List.of(new Rejected(to, RecipientReason.SYNTAX.code(), malformed.getMessage())))));
      }
    }
    return Optional.empty();
  }

  record Rejections(List<Rejected> rejected) {
  }

  record Rejected(String address, String reason, String detail) {
  }

}
