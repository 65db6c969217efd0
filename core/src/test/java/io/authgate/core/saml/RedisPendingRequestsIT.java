package io.authgate.core.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pending requests in a real Redis shared by two gateways. */
@ExtendWith(NoBlockedThreads.class)
class RedisPendingRequestsIT extends PendingRequestsContract {
  private static TwoGateways gateways;
  private static PendingRequests first;
  private static PendingRequests second;

  @BeforeAll
  static void start() {
    gateways = new TwoGateways();
    first = new RedisPendingRequests(gateways.first);
    second = new RedisPendingRequests(gateways.second);
  }

  @AfterAll
  static void stop() {
    gateways.close();
  }

  @Override
  PendingRequests store() {
    return first;
  }

  @Override
  PendingRequests otherProcess() {
    return second;
  }

  @Test
  void aRequestSentByOneGatewayIsAnsweredAtAnotherAndRedisHoldsNoCookieValue() {
    String id = newId();
    PendingRequest sent = request("https://app.example.com/", Duration.ofMinutes(5));
    first.put(id, sent).await();

    String key = SamlStores.REQUEST_KEY_PREFIX + id;
    assertThat(gateways.pttl(key)).isBetween(Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(5).toMillis());
    String stored = gateways.inspect(Request.cmd(Command.GET).arg(key)).toString();
    assertThat(stored).contains(BINDING).doesNotContain("cookie-value-of-this-browser");

    assertThat(second.take(id).await()).isEqualTo(sent);
    assertThat(gateways.pttl(key)).as("taken: gone from Redis").isEqualTo(-2);
  }

  @Test
  void ofConcurrentTakesOnTheEventLoopsOfTwoGatewaysExactlyOneGetsTheRequest() {
    for (int round = 0; round < 5; round++) {
      String id = newId();
      first.put(id, request(null, Duration.ofMinutes(1))).await();
      List<Future<PendingRequest>> takes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        takes.add(TwoGateways.onEventLoop(gateways.firstContext, () -> first.take(id)));
        takes.add(TwoGateways.onEventLoop(gateways.secondContext, () -> second.take(id)));
      }
      Future.all(takes).await();
      assertThat(takes.stream().map(Future::result).filter(Objects::nonNull).count()).isEqualTo(1);
    }
  }
}
