package org.mailwarden;

import jakarta.mail.Address;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A quota refused the message: nothing was sent. {@link #getLimit()} names the limit by its
 * configuration key (for example {@code limit.messages-per-minute} or
 * {@code limit.domain.example.com.recipients-per-hour}) and {@link #getRetryAfter()} says how long
 * until the quota has room for this message again.
 */
public class QuotaExceededException extends SendRefusedException {
  private static final long serialVersionUID = 1L;

  private final String limit;
  private final String app;
  private final Duration retryAfter;

  /**
   * Creates a quota refusal.
   *
   * @param app the application whose quota is used up
   * @param limit the configuration key of the limit, without prefix
   * @param retryAfter the wait until the quota has room again, positive
   * @param unsent the recipients of the refused message
   */
  public QuotaExceededException(String app, String limit, Duration retryAfter,
      Address @Nullable [] unsent) {
    super(RefusalReason.QUOTA_EXCEEDED, "Quota " + limit + " of application '" + app
        + "' is used up; retry after " + retryAfter.toMillis() + " ms", unsent);
    this.app = Objects.requireNonNull(app, "app");
    this.limit = Objects.requireNonNull(limit, "limit");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** Returns the configuration key of the limit that refused, for example {@code limit.messages-per-minute}. */
  public String getLimit() {
    return limit;
  }

  /** Returns the name of the application ({@code app}) whose quota is used up. */
  public String getApp() {
    return app;
  }

  /** Returns how long to wait before the quota has room for this message again; always positive. */
  public Duration getRetryAfter() {
    return retryAfter;
  }
}
