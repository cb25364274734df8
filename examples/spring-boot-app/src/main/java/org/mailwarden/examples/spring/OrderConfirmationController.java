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
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /orders/{id}/confirmation} with form parameter {@code to}: mails the confirmation and
 * answers
 * <ul>
 * <li>202 when the server accepted it;</li>
 * <li>429 with {@code Retry-After} (seconds) and a problem detail when a Mailwarden quota refused
 * it;</li>
 * <li>422 with {@code {"rejected":[{"address":..., "reason":..., "detail":...}]}} in a problem detail
 * when Mailwarden refused the recipient;</li>
 * <li>503 with the reason when another Mailwarden policy refused it (for example a sender outside
 * {@code mailwarden.senders.allow-domains}).</li>
 * </ul>
 * The send itself handles nothing: the starter's {@code JavaMailSender} throws a
 * {@code MailSendException} whose cause is Mailwarden's exception, and Spring MVC hands it to the
 * {@code @ExceptionHandler} of that cause, as it would with any other library's exception.
 * <p>{@code POST /tenants/{tenant}/orders/{id}/confirmation} does the same for one of the shop's tenants:
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
      // Jakarta Mail's own parser refuses some addresses before Mailwarden sees them; this happens only
      // when spring.mail.properties.mail.mime.address.strict is not false
      Optional<AddressException> malformed = ex.getFailedMessages().values().stream()
        .filter(AddressException.class::isInstance).map(AddressException.class::cast).findFirst();
      if (ex.getCause() == null && malformed.isPresent()) {
        return ResponseEntity.unprocessableContent().body(rejections(
            List.of(new Rejected(to, RecipientReason.SYNTAX.code(), malformed.get().getMessage()))));
      }
      throw ex;
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("order", id, "status", "sent"));
  }

  @PostMapping("/tenants/{tenant}/orders/{id}/confirmation")
  ResponseEntity<Object> confirmForTenant(@PathVariable("id") String id, @RequestParam("to") String to)
      throws MessagingException {
    return confirm(id, to);
  }

  @ExceptionHandler(QuotaExceededException.class)
  ResponseEntity<ProblemDetail> quotaExceeded(QuotaExceededException quota) {
    long seconds = Math.max(1, (quota.getRetryAfter().toMillis() + 999) / 1000);
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
        "The mail quota " + quota.getLimit() + " is used up; try again in " + seconds + " s.");
    problem.setProperty("refused", quota.getReason().code());
    problem.setProperty("limit", quota.getLimit());
    problem.setProperty("retryAfterSeconds", seconds);
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
      .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
      .body(problem);
  }

  @ExceptionHandler(RecipientRejectedException.class)
  ResponseEntity<ProblemDetail> recipientRejected(RecipientRejectedException rejected) {
    return ResponseEntity.unprocessableContent().body(rejections(rejected.getRejections()
      .stream()
      .map((r) -> new Rejected(r.address().getAddress(), r.reason().code(), r.detail()))
      .toList()));
  }

  @ExceptionHandler(SendRefusedException.class)
  ProblemDetail refused(SendRefusedException refused) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, refused.getMessage());
    problem.setProperty("refused", refused.getReason().code());
    return problem;
  }

  private static ProblemDetail rejections(List<Rejected> rejected) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
        "Mail cannot be sent to this address.");
    problem.setProperty("rejected", rejected);
    return problem;
  }

  record Rejected(String address, String reason, String detail) {
  }

}
