package io.authgate.core.saml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link ReplayCache} does; subclasses give caches with the margin asked for. */
abstract class ReplayCacheContract {

  /** @return a cache remembering IDs {@code margin} past their expiry */
  abstract ReplayCache cache(Duration margin);

  /** @return another process's view of the same cache (the same instance when there is no sharing) */
  abstract ReplayCache otherProcess(ReplayCache cache, Duration margin);

  static String newId() {
    return "_" + UUID.randomUUID();
  }

  @Test
  void anAssertionIsAcceptedOnceAndItsReplaysAreRefused() {
    ReplayCache cache = cache(Duration.ofMinutes(1));
    String id = newId();
    Instant expires = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(cache.firstUse(id, expires).await()).isTrue();
    assertThat(cache.firstUse(id, expires).await()).isFalse();
    assertThat(cache.firstUse(id, expires.plus(Duration.ofHours(1))).await()).as("whatever expiry it claims")
        .isFalse();
    assertThat(cache.firstUse(newId(), expires).await()).as("another assertion").isTrue();
  }

  @Test
  void anIdIsRememberedUntilTheAssertionsExpiryPlusTheMargin() throws InterruptedException {
    Duration margin = Duration.ofMillis(600);
    ReplayCache cache = cache(margin);
    String id = newId();
    Instant expires = Instant.now().plus(Duration.ofMillis(300));
    assertThat(cache.firstUse(id, expires).await()).isTrue();
    Thread.sleep(600);
    assertThat(cache.firstUse(id, expires).await()).as("expired, but within the margin").isFalse();
    Thread.sleep(900);
    assertThat(cache.firstUse(id, expires).await()).as("past expiry and margin: forgotten").isTrue();
  }

  @Test
  void missingEmptyAndOverlongIdsAreNeverAccepted() {
    ReplayCache cache = cache(Duration.ofMinutes(1));
    Instant expires = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(cache.firstUse(null, expires).await()).isFalse();
    assertThat(cache.firstUse("", expires).await()).isFalse();
    assertThat(cache.firstUse("_" + "a".repeat(SamlStores.MAX_ID_LENGTH), expires).await()).isFalse();
  }

  @Test
  void ofManyConcurrentUsesOfOneAssertionExactlyOneIsAccepted() throws Exception {
    Duration margin = Duration.ofMinutes(1);
    ReplayCache cache = cache(margin);
    ReplayCache other = otherProcess(cache, margin);
    for (int round = 0; round < 5; round++) {
      String id = newId();
      Instant expires = Instant.now().plus(Duration.ofMinutes(5));
      List<Boolean> accepted = Racing.race(8, 40,
          () -> (Thread.currentThread().getId() % 2 == 0 ? cache : other).firstUse(id, expires).await());
      assertThat(accepted.stream().filter(Boolean::booleanValue).count()).isEqualTo(1);
    }
  }
}
