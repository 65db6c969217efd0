package io.authgate.core.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link PendingRequests} does; subclasses give the store and a second process's view of it. */
abstract class PendingRequestsContract {
  static final String BINDING = PendingRequest.bindingOf("cookie-value-of-this-browser");

  /** @return the store under test */
  abstract PendingRequests store();

  /** @return another process's view of the same requests (the same instance when there is no sharing) */
  abstract PendingRequests otherProcess();

  static String newId() {
    return "_" + UUID.randomUUID();
  }

  static PendingRequest request(String returnUrl, Duration ttl) {
    return new PendingRequest("okta", BINDING, returnUrl, Instant.now().plus(ttl).truncatedTo(ChronoUnit.MILLIS));
  }

  @Test
  void aRequestIsTakenOnceWithEverythingItWasSentWith() {
    String id = newId();
    PendingRequest sent = request("https://app.example.com/reports?q=1", Duration.ofMinutes(5));
    store().put(id, sent).await();

    PendingRequest taken = store().take(id).await();
    assertThat(taken).isEqualTo(sent);
    assertThat(taken.boundTo(BINDING)).isTrue();
    assertThat(store().take(id).await()).as("a second response to the same request").isNull();
    assertThat(otherProcess().take(id).await()).isNull();
  }

  @Test
  void aRequestWithoutReturnUrlKeepsItsOtherFields() {
    String id = newId();
    PendingRequest sent = request(null, Duration.ofMinutes(5));
    store().put(id, sent).await();
    assertThat(otherProcess().take(id).await()).isEqualTo(sent);
  }

  @Test
  void unknownMissingAndOverlongIdsFindNothing() {
    assertThat(store().take(newId()).await()).isNull();
    assertThat(store().take(null).await()).isNull();
    assertThat(store().take("").await()).isNull();
    String overlong = "_" + "a".repeat(SamlStores.MAX_ID_LENGTH);
    assertThatThrownBy(() -> store().put(overlong, request(null, Duration.ofMinutes(1))).await())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().take(overlong).await()).isNull();
  }

  @Test
  void anIdCannotBePendingTwice() {
    String id = newId();
    PendingRequest first = request("https://first.example.com/", Duration.ofMinutes(5));
    store().put(id, first).await();
    assertThatThrownBy(() -> otherProcess().put(id, request("https://second.example.com/", Duration.ofMinutes(5)))
        .await()).isInstanceOf(IllegalArgumentException.class);
    assertThat(store().take(id).await()).isEqualTo(first);
  }

  @Test
  void aRequestIsForgottenAtItsExpiry() throws InterruptedException {
    String expiring = newId();
    String expired = newId();
    store().put(expiring, request(null, Duration.ofMillis(400))).await();
    store().put(expired, request(null, Duration.ofSeconds(-1))).await();
    assertThat(store().take(expired).await()).isNull();
    Thread.sleep(700);
    assertThat(store().take(expiring).await()).isNull();
  }

  @Test
  void ofManyConcurrentTakesExactlyOneGetsTheRequest() throws Exception {
    for (int round = 0; round < 5; round++) {
      String id = newId();
      store().put(id, request(null, Duration.ofMinutes(1))).await();
      List<PendingRequest> taken = Racing.race(8, 40,
          () -> (Thread.currentThread().getId() % 2 == 0 ? store() : otherProcess()).take(id).await());
      assertThat(taken.stream().filter(Objects::nonNull).count()).isEqualTo(1);
    }
  }
}
