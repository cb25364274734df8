package org.mailwarden.spi;

/**
 * The shared store did not answer within its timeout, or refused the call. Thrown by stores with
 * {@code store.on-failure=refuse}; the send path turns it into a
 * {@link org.mailwarden.SendRefusedException} with {@link org.mailwarden.RefusalReason#STORE_UNAVAILABLE}.
 */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
