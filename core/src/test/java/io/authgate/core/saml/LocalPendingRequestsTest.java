package io.authgate.core.saml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pending requests in process. */
class LocalPendingRequestsTest extends PendingRequestsContract {
  private final PendingRequests store = new LocalPendingRequests();

  @Override
  PendingRequests store() {
    return store;
  }

  @Override
  PendingRequests otherProcess() {
    return store;
  }

  @Test
  void itHoldsNoMoreThanItsMaximum() {
    LocalPendingRequests small = new LocalPendingRequests(100);
    for (int i = 0; i < 1_000; i++) {
      small.put("_" + i, request(null, Duration.ofMinutes(5))).await();
    }
    int held = 0;
    for (int i = 0; i < 1_000; i++) {
      held += small.take("_" + i).await() == null ? 0 : 1;
    }
    assertThat(held).isBetween(1, 100);
  }
}
