package org.mailwarden.spring.actuate;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.mailwarden.SendRefusedException;
import org.mailwarden.spring.mail.MailwardenMailSendException;
import org.mailwarden.spring.mail.MailwardenSendObserver;

/**
 * Observes each send as a Micrometer {@link Observation} named {@value #NAME}, with the
 * low-cardinality keys {@code app}, {@code outcome} ({@code sent}, {@code refused} or {@code failed})
 * and {@code reason} (the refusal's code, such as {@code quota-exceeded}; the failure's exception
 * type; {@code none} for a send). With Spring Boot's metrics this is also the send timer
 * ({@code mailwarden.send}), and with tracing a span.
 */
public class MailwardenObservationSendObserver implements MailwardenSendObserver {

  /** The observation's name, also the timer's. */
  public static final String NAME = "mailwarden.send";

  private final ObservationRegistry registry;

  /**
   * Creates the observer.
   * @param registry where the observations go
   */
  public MailwardenObservationSendObserver(ObservationRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void observe(String app, Runnable send) {
    Observation observation = Observation.createNotStarted(NAME, this.registry)
      .contextualName("mailwarden send")
      .lowCardinalityKeyValue("app", (app != null) ? app : "default")
      .start();
    try (Observation.Scope scope = observation.openScope()) {
      send.run();
      observation.lowCardinalityKeyValues(KeyValues.of("outcome", "sent", "reason", "none"));
    }
    catch (RuntimeException ex) {
      SendRefusedException refusal = (ex instanceof MailwardenMailSendException refused) ? refused.getRefusal() : null;
      if (refusal != null) {
        observation.lowCardinalityKeyValues(KeyValues.of("outcome", "refused", "reason", refusal.getReason().code()));
      }
      else {
        observation.lowCardinalityKeyValues(KeyValues.of("outcome", "failed", "reason", failureType(ex)));
        observation.error(ex);
      }
      throw ex;
    }
    finally {
      observation.stop();
    }
  }

  private static String failureType(RuntimeException ex) {
    Throwable cause = ex;
    if (ex instanceof org.springframework.mail.MailSendException send && !send.getFailedMessages().isEmpty()) {
      cause = send.getFailedMessages().values().iterator().next();
    }
    else if (ex.getCause() != null) {
      cause = ex.getCause();
    }
    return cause.getClass().getSimpleName();
  }

}
