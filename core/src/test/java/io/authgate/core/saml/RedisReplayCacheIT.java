package io.authgate.core.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Used assertions in a real Redis shared by two gateways. */
@ExtendWith(NoBlockedThreads.class)
class RedisReplayCacheIT extends ReplayCacheContract {
  private static TwoGateways gateways;

  @BeforeAll
  static void start() {
    gateways = new TwoGateways();
  }

  @AfterAll
  static void stop() {
    gateways.close();
  }

  @Override
  ReplayCache cache(Duration margin) {
    return new RedisReplayCache(gateways.first, margin);
  }

  @Override
  ReplayCache otherProcess(ReplayCache cache, Duration margin) {
    return new RedisReplayCache(gateways.second, margin);
  }

  @Test
  void anAssertionUsedAtOneGatewayIsRefusedAtAnotherSharingRedis() {
    Duration margin = Duration.ofSeconds(60);
    ReplayCache atFirst = new RedisReplayCache(gateways.first, margin);
    ReplayCache atSecond = new RedisReplayCache(gateways.second, margin);
    String id = newId();
    Instant expires = Instant.now().plus(Duration.ofMinutes(5));

    assertThat(atFirst.firstUse(id, expires).await()).isTrue();
    assertThat(atSecond.firstUse(id, expires).await()).as("replayed to the second gateway").isFalse();
    assertThat(gateways.pttl(SamlStores.ASSERTION_KEY_PREFIX + id)).as("remembered until expiry plus margin")
        .isBetween(Duration.ofMinutes(5).plus(margin).minusSeconds(5).toMillis(),
            Duration.ofMinutes(5).plus(margin).toMillis());
    assertThat(atSecond.firstUse(newId(), expires).await()).isTrue();
  }

  @Test
  void ofConcurrentUsesOnTheEventLoopsOfTwoGatewaysExactlyOneIsAccepted() {
    ReplayCache atFirst = new RedisReplayCache(gateways.first, Duration.ofMinutes(1));
    ReplayCache atSecond = new RedisReplayCache(gateways.second, Duration.ofMinutes(1));
    for (int round = 0; round < 5; round++) {
      String id = newId();
      Instant expires = Instant.now().plus(Duration.ofMinutes(5));
      List<Future<Boolean>> uses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        uses.add(TwoGateways.onEventLoop(gateways.firstContext, () -> atFirst.firstUse(id, expires)));
        uses.add(TwoGateways.onEventLoop(gateways.secondContext, () -> atSecond.firstUse(id, expires)));
      }
      Future.all(uses).await();
      assertThat(uses.stream().filter(Future::result).count()).isEqualTo(1);
    }
  }
}
