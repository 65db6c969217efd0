package io.authgate.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  private final SingleFlight<String, String> flights = new SingleFlight<>();

  @Test
  void identicalConcurrentCallsShareOneExecution() {
    AtomicInteger started = new AtomicInteger();
    Promise<String> work = Promise.promise();
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      results.add(flights.run("alice", () -> {
        started.incrementAndGet();
        return work.future();
      }));
    }
    assertThat(started).hasValue(1);
    assertThat(flights.inFlight()).isEqualTo(1);
    work.complete("ok");
    results.forEach(r -> assertThat(r.await()).isEqualTo("ok"));
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void differentKeysRunSeparatelyAndFinishedCallsAreNotReused() {
    AtomicInteger started = new AtomicInteger();
    flights.run("a", () -> Future.succeededFuture("1" + started.incrementAndGet())).await();
    flights.run("b", () -> Future.succeededFuture("2" + started.incrementAndGet())).await();
    flights.run("a", () -> Future.succeededFuture("3" + started.incrementAndGet())).await();
    assertThat(started).hasValue(3);
  }

  @Test
  void aFailureReachesEveryWaiterAndIsForgotten() {
    Promise<String> work = Promise.promise();
    Future<String> first = flights.run("x", work::future);
    Future<String> second = flights.run("x", () -> Future.succeededFuture("never"));
    work.fail(new IllegalStateException("boom"));
    assertThatThrownBy(first::await).hasMessage("boom");
    assertThatThrownBy(second::await).hasMessageContaining("boom");
    assertThat(flights.run("x", () -> Future.succeededFuture("again")).await()).isEqualTo("again");
  }
}
