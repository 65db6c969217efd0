package io.authgate.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.TestServices;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deferred, batched {@code SET}s, against a real Redis. */
class DeferredWritesIT {
  private static final String PREFIX = "authgate:test:deferred:";
  private Vertx vertx;
  private Context eventLoop;
  private RedisCommands redis;
  private Redis admin;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    eventLoop = vertx.getOrCreateContext();
    redis = new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()));
    admin = Redis.createClient(vertx, TestServices.redisUrl());
    Response keys = admin.send(Request.cmd(Command.KEYS).arg(PREFIX + "*")).await();
    for (Response key : keys) {
      admin.send(Request.cmd(Command.DEL).arg(key.toString())).await();
    }
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** Runs {@code work} on the test's event loop and waits until it has run. */
  private void onEventLoop(Runnable work) {
    Promise<Void> done = Promise.promise();
    eventLoop.runOnContext(v -> {
      work.run();
      done.complete();
    });
    done.future().await();
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private String get(String key) {
    Response value = admin.send(Request.cmd(Command.GET).arg(PREFIX + key)).await();
    return value == null ? null : value.toString();
  }

  private String awaitValue(String key) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 3_000;
    String value = get(key);
    while (value == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
      value = get(key);
    }
    return value;
  }

  @Test
  void writesMadeInManyTurnsReachRedisTogetherAfterTheDelay() throws InterruptedException {
    DeferredWrites writes = new DeferredWrites(vertx, redis, 300);
    onEventLoop(() -> redis.send(Request.cmd(Command.PING)));  // connected before the measured writes
    Thread.sleep(50);
    long before = RedisStats.readsProcessed(admin);
    long expires = System.currentTimeMillis() + 60_000;
    for (int i = 0; i < 50; i++) {
      int n = i;
      onEventLoop(() -> writes.set(PREFIX + n, bytes("v" + n), expires));  // one event-loop turn each
    }
    assertThat(get("0")).as("nothing is sent before the delay").isNull();
    assertThat(writes.waiting()).isEqualTo(50);

    Thread.sleep(800);
    // Fifty writes in one batch: Redis read them in one or two reads, not fifty (the INFO and GET
    // calls of this test add their own reads, and another client of the same Redis may add a few).
    assertThat(RedisStats.readsProcessed(admin) - before).isLessThan(10);
    assertThat(writes.waiting()).isZero();
    for (int i = 0; i < 50; i++) {
      assertThat(get(String.valueOf(i))).isEqualTo("v" + i);
    }
  }

  @Test
  void aLaterValueReplacesOneStillWaiting() throws InterruptedException {
    DeferredWrites writes = new DeferredWrites(vertx, redis, 200);
    long expires = System.currentTimeMillis() + 60_000;
    onEventLoop(() -> writes.set(PREFIX + "k", bytes("first"), expires));
    onEventLoop(() -> writes.set(PREFIX + "k", bytes("second"), expires));
    assertThat(writes.waiting()).isEqualTo(1);
    assertThat(awaitValue("k")).isEqualTo("second");
  }

  @Test
  void aCancelledWriteIsNeverSent() throws InterruptedException {
    DeferredWrites writes = new DeferredWrites(vertx, redis, 200);
    long expires = System.currentTimeMillis() + 60_000;
    onEventLoop(() -> {
      writes.set(PREFIX + "purged", bytes("old"), expires);
      writes.set(PREFIX + "kept", bytes("new"), expires);
    });
    writes.cancel(PREFIX + "purged");
    assertThat(awaitValue("kept")).isEqualTo("new");
    Thread.sleep(100);
    assertThat(get("purged")).isNull();
  }

  @Test
  void cancelAllDropsEverythingWaiting() throws InterruptedException {
    DeferredWrites writes = new DeferredWrites(vertx, redis, 200);
    long expires = System.currentTimeMillis() + 60_000;
    onEventLoop(() -> {
      writes.set(PREFIX + "a", bytes("1"), expires);
      writes.set(PREFIX + "b", bytes("2"), expires);
    });
    writes.cancelAll();
    Thread.sleep(400);
    assertThat(get("a")).isNull();
    assertThat(get("b")).isNull();
    // The next write schedules a batch of its own.
    onEventLoop(() -> writes.set(PREFIX + "c", bytes("3"), expires));
    assertThat(awaitValue("c")).isEqualTo("3");
  }

  @Test
  void theExpiryIsCountedFromTheWriteNotFromTheBatch() throws InterruptedException {
    DeferredWrites writes = new DeferredWrites(vertx, redis, 300);
    long expires = System.currentTimeMillis() + 10_000;
    onEventLoop(() -> writes.set(PREFIX + "ttl", bytes("v"), expires));
    assertThat(awaitValue("ttl")).isEqualTo("v");
    long ttl = admin.send(Request.cmd(Command.PTTL).arg(PREFIX + "ttl")).await().toLong();
    assertThat(ttl).isPositive().isLessThanOrEqualTo(10_000 - 300);
  }

  @Test
  void withNoDelayEachWriteIsSentAtOnce() throws InterruptedException {
    DeferredWrites writes = new DeferredWrites(vertx, redis, 0);
    onEventLoop(() -> writes.set(PREFIX + "now", bytes("v"), System.currentTimeMillis() + 60_000));
    assertThat(writes.waiting()).isZero();
    assertThat(awaitValue("now")).isEqualTo("v");
  }

  @Test
  void writesFromOutsideVertxAreSentToo() throws InterruptedException {
    DeferredWrites writes = new DeferredWrites(vertx, redis, 50);
    writes.set(PREFIX + "outside", bytes("v"), System.currentTimeMillis() + 60_000);
    assertThat(awaitValue("outside")).isEqualTo("v");
  }
}
