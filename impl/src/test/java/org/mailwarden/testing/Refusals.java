package org.mailwarden.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.mailwarden.RefusalReason;
import org.mailwarden.SendRefusedException;

/** Assertions on refused sends, for tests that talk to a real server. */
public final class Refusals {
  private Refusals() {}

  /**
   * Asserts that {@code send} is refused with one of {@code reasons} and that nothing reached the sink
   * before a marker sent afterwards (see {@link SmtpSink#messagesBeforeMarker()}), so the assertion
   * cannot pass because a wrongly sent message was still on its way.
   *
   * @return the refusal, for further assertions
   */
  public static SendRefusedException assertRefusedAndNothingReceived(SmtpSink sink, ThrowingCallable send,
      RefusalReason... reasons) throws Exception {
    Throwable thrown = catchThrowable(send);
    assertThat(thrown).as("the send was refused").isInstanceOf(SendRefusedException.class);
    SendRefusedException e = (SendRefusedException) thrown;
    assertThat(e.getReason()).isIn((Object[]) reasons);
    assertThat(sink.messagesBeforeMarker()).as("messages the server received").isEmpty();
    return e;
  }
}
