package org.mailwarden;

import jakarta.mail.Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What became of one message: which recipients the server accepted, which Mailwarden refused and why,
 * which the server refused, and which were not sent to; the DSN envelope identifier (ENVID) that ties
 * a later bounce to this send.
 *
 * <p>Instances are immutable. Obtain one from {@link Mailwarden#send(jakarta.mail.Message)}, from
 * {@link GuardedTransport#lastReport()} or from a {@link MailwardenListener}.
 */
public final class SendReport {
  private final String app;
  private final @Nullable String envelopeId;
  private final @Nullable String messageId;
  private final @Nullable String dsnParameters;
  private final List<Address> accepted;
  private final List<RejectedRecipient> refused;
  private final List<Address> refusedByServer;
  private final List<Address> unsent;
  private final @Nullable String tenant;
  private final List<WouldBeRefusal> wouldRefuse;

  /**
   * Creates a report of a message without a tenant, sent in {@code mode=enforce}; lists are copied.
   *
   * @param app the application name
   * @param envelopeId the ENVID sent on MAIL FROM, or null when none was sent
   * @param messageId the Message-ID header of the message, or null
   * @param dsnParameters the DSN parameters requested on the wire, or null when the server has no DSN
   * @param accepted recipients the server accepted
   * @param refused recipients Mailwarden refused, with reasons
   * @param refusedByServer recipients the server refused
   * @param unsent valid recipients that were not sent to
   */
  public SendReport(String app, @Nullable String envelopeId, @Nullable String messageId,
      @Nullable String dsnParameters, List<Address> accepted, List<RejectedRecipient> refused,
      List<Address> refusedByServer, List<Address> unsent) {
    this(app, envelopeId, messageId, dsnParameters, accepted, refused, refusedByServer, unsent, null, List.of());
  }

  /**
   * Creates a report; lists are copied.
   *
   * @param app the application name
   * @param envelopeId the ENVID sent on MAIL FROM, or null when none was sent
   * @param messageId the Message-ID header of the message, or null
   * @param dsnParameters the DSN parameters requested on the wire, or null when the server has no DSN
   * @param accepted recipients the server accepted
   * @param refused recipients Mailwarden refused, with reasons
   * @param refusedByServer recipients the server refused
   * @param unsent valid recipients that were not sent to
   * @param tenant the tenant the message was sent for, or null
   * @param wouldRefuse the refusals that {@code mode=report-only} did not enforce
   */
  public SendReport(String app, @Nullable String envelopeId, @Nullable String messageId,
      @Nullable String dsnParameters, List<Address> accepted, List<RejectedRecipient> refused,
      List<Address> refusedByServer, List<Address> unsent, @Nullable String tenant,
      List<WouldBeRefusal> wouldRefuse) {
    this.tenant = tenant;
    this.wouldRefuse = List.copyOf(wouldRefuse);
    this.app = Objects.requireNonNull(app, "app");
    this.envelopeId = envelopeId;
    this.messageId = messageId;
    this.dsnParameters = dsnParameters;
    this.accepted = List.copyOf(accepted);
    this.refused = List.copyOf(refused);
    this.refusedByServer = List.copyOf(refusedByServer);
    this.unsent = List.copyOf(unsent);
  }

  /** Returns the application name ({@code app}) the message was sent under. */
  public String app() {
    return app;
  }

  /**
   * Returns the ENVID sent with {@code MAIL FROM}: a bounce for this message carries it as
   * {@code Original-Envelope-Id}. Empty when {@code dsn.envid=false} or the server has no DSN.
   */
  public Optional<String> envelopeId() {
    return Optional.ofNullable(envelopeId);
  }

  /** Returns the Message-ID header of the message as sent, if it has one. */
  public Optional<String> messageId() {
    return Optional.ofNullable(messageId);
  }

  /**
   * Returns the DSN parameters requested on the wire, for example
   * {@code "RET=HDRS ENVID=... NOTIFY=FAILURE"}; empty when the server does not advertise DSN.
   */
  public Optional<String> dsnParameters() {
    return Optional.ofNullable(dsnParameters);
  }

  /** Returns the recipients the server accepted. */
  public List<Address> accepted() {
    return accepted;
  }

  /** Returns the recipients Mailwarden refused, each with its reason. */
  public List<RejectedRecipient> refused() {
    return refused;
  }

  /** Returns the recipients the server refused. */
  public List<Address> refusedByServer() {
    return refusedByServer;
  }

  /** Returns the valid recipients that were not sent to (for example after a server failure). */
  public List<Address> unsent() {
    return unsent;
  }

  /**
   * Returns the tenant the message was sent for ({@code Mailwarden.tenant(message, name)}, the
   * {@code X-Mailwarden-Tenant} header, or the Spring Boot starter's {@code TenantResolver}); empty
   * when it had none.
   */
  public Optional<String> tenant() {
    return Optional.ofNullable(tenant);
  }

  /**
   * Returns what would have refused this message had Mailwarden enforced its policies: empty in
   * {@code mode=enforce}, and in {@code mode=report-only} when no policy objected. The message was
   * sent regardless.
   */
  public List<WouldBeRefusal> wouldRefuse() {
    return wouldRefuse;
  }

  /** Returns true when every recipient of the message was accepted by the server. */
  public boolean isComplete() {
    return refused.isEmpty() && refusedByServer.isEmpty() && unsent.isEmpty() && !accepted.isEmpty();
  }

  @Override
  public String toString() {
    return "SendReport{app=" + app + (tenant == null ? "" : ", tenant=" + tenant) + ", envelopeId=" + envelopeId + ", accepted=" + accepted.size()
        + ", refused=" + refused.size() + ", refusedByServer=" + refusedByServer.size()
        + ", unsent=" + unsent.size() + (wouldRefuse.isEmpty() ? "" : ", wouldRefuse=" + wouldRefuse.size()) + '}';
  }
}
