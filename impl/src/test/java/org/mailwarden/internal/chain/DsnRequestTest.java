package org.mailwarden.internal.chain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DsnRequestTest {
  @Test
  void describesEveryParameterPresentInWireOrder() {
    assertThat(new DsnRequest("HDRS", "abc", "FAILURE", true).describe())
        .isEqualTo("RET=HDRS ENVID=abc NOTIFY=FAILURE");
    assertThat(new DsnRequest(null, "abc", "FAILURE,DELAY", true).describe())
        .isEqualTo("ENVID=abc NOTIFY=FAILURE,DELAY");
    assertThat(new DsnRequest("FULL", null, null, false).describe()).isEqualTo("RET=FULL");
    assertThat(new DsnRequest("HDRS", null, "NEVER", false).describe()).isEqualTo("RET=HDRS NOTIFY=NEVER");
    assertThat(DsnRequest.NONE.describe()).isEmpty();
  }
}
