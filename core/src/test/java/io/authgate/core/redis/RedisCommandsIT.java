package io.authgate.core.redis;

import static io.authgate.core.testing.TestVertx.onContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.TestServices;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-event-loop pipelined connection, against a real Redis. */
class RedisCommandsIT {
  private static final LuaScript ECHO_SUM = LuaScript.of("return tonumber(ARGV[1]) + tonumber(ARGV[2])");
  private Vertx vertx;
  private Context eventLoop;
  private RedisCommands redis;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    eventLoop = vertx.getOrCreateContext();
    redis = new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** @return a client of at most {@code size} pooled connections */
  private Redis pool(int size) {
    return Redis.createClient(vertx, new io.vertx.redis.client.RedisOptions()
        .setConnectionString(TestServices.redisUrl()).setMaxPoolSize(size));
  }

  /** @return commands on {@code client} with a command timeout of {@code millis} */
  private RedisCommands timingOut(Redis client, long millis) {
    return new RedisCommands(vertx, client, java.util.Optional.empty(), java.time.Duration.ofMillis(millis));
  }

  private String clientName() {
    return onContext(eventLoop, () -> redis.send(Request.cmd(Command.CLIENT).arg("ID"))).toString();
  }

  @Test
  void commandsFromOneEventLoopShareOnePipelinedConnection() {
    List<Future<Response>> replies = onContext(eventLoop, () -> {
      List<Future<Response>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        all.add(redis.send(Request.cmd(Command.ECHO).arg("m" + i)));
      }
      return Future.all(all).map(v -> all);
    });
    for (int i = 0; i < 200; i++) {
      assertThat(replies.get(i).result().toString()).isEqualTo("m" + i);
    }
    assertThat(clientName()).isEqualTo(clientName());
  }

  @Test
  void aDroppedConnectionIsReplacedOnTheNextCommand() throws InterruptedException {
    String before = clientName();
    Redis.createClient(vertx, TestServices.redisUrl()).send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID")
        .arg(before)).await();
    Thread.sleep(100);
    String after = clientName();
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void scriptsRunByDigestAndAreReloadedWhenRedisForgetsThem() {
    Redis.createClient(vertx, TestServices.redisUrl()).send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await();
    assertThat(onContext(eventLoop, () -> redis.eval(ECHO_SUM, List.of(), List.of(2, 3))).toInteger()).isEqualTo(5);
    assertThat(onContext(eventLoop, () -> redis.eval(ECHO_SUM, List.of(), List.of(20, 3))).toInteger()).isEqualTo(23);
    assertThat(redis.eval(ECHO_SUM, List.of(), List.of(1, 1)).await().toInteger()).isEqualTo(2);
  }

  @Test
  void theCommandsOfOneEventLoopTurnReachRedisInOneRead() {
    onContext(eventLoop, () -> redis.send(Request.cmd(Command.PING)));  // connected, outside the measured turn
    Redis other = Redis.createClient(vertx, TestServices.redisUrl());
    long before = RedisStats.readsProcessed(other);
    List<Future<Response>> replies = onContext(eventLoop, () -> {
      List<Future<Response>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        all.add(redis.send(Request.cmd(Command.ECHO).arg("c" + i)));
      }
      return Future.all(all).map(v -> all);
    });
    long reads = RedisStats.readsProcessed(other) - before;
    for (int i = 0; i < 200; i++) {
      assertThat(replies.get(i).result().toString()).isEqualTo("c" + i);
    }
    // 200 commands in one write; Redis reads them in one go (the two INFO calls add their own
    // reads, and another client of the same Redis may add a few): far below one read per command.
    assertThat(reads).isLessThan(20);
  }

  @Test
  void aConnectionRedisStopsAnsweringOnIsClosedAfterTheCommandTimeoutAndReplaced() {
    RedisCommands watched = timingOut(Redis.createClient(vertx, TestServices.redisUrl()), 200);
    String before = onContext(eventLoop, () -> watched.send(Request.cmd(Command.CLIENT).arg("ID"))).toString();
    Redis admin = Redis.createClient(vertx, TestServices.redisUrl());
    // Redis holds every write for 3 s, then goes on: a stall that closes no connection.
    admin.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(3_000).arg("WRITE")).await();
    try {
      long start = System.nanoTime();
      Throwable failure = onContext(eventLoop, () -> watched.send(Request.cmd(Command.SET).arg("authgate:test:stall")
          .arg("1")).transform(ar -> Future.succeededFuture(ar.cause())));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(failure).as("the write held by the pause").isNotNull();
      // Caught between 3/4 and 5/4 of the timeout after the command; a slow machine may add a little.
      assertThat(millis).isBetween(140L, 1_500L);
      // The next command opens another connection, where reads answer.
      String after = onContext(eventLoop, () -> watched.send(Request.cmd(Command.CLIENT).arg("ID"))).toString();
      assertThat(after).isNotEqualTo(before);
    } finally {
      admin.send(Request.cmd(Command.CLIENT).arg("UNPAUSE")).await();
    }
  }

  @Test
  void aConnectionThatIsOnlyQuietIsKept() throws InterruptedException {
    RedisCommands watched = timingOut(Redis.createClient(vertx, TestServices.redisUrl()), 100);
    String before = onContext(eventLoop, () -> watched.send(Request.cmd(Command.CLIENT).arg("ID"))).toString();
    Thread.sleep(500);
    // A command that takes longer than the timeout is a stall only if nothing else answers either:
    // here Redis answers each in time.
    for (int i = 0; i < 5; i++) {
      assertThat(onContext(eventLoop, () -> watched.send(Request.cmd(Command.CLIENT).arg("ID"))).toString())
          .isEqualTo(before);
      Thread.sleep(60);
    }
  }

  @Test
  void aCommandFromOutsideAnEventLoopThatRedisDoesNotAnswerFailsAfterTheTimeoutAndItsConnectionIsClosed()
      throws Exception {
    // One pooled connection: a command from this thread leases it for itself.
    RedisCommands outside = timingOut(pool(1), 200);
    String before = outside.send(Request.cmd(Command.CLIENT).arg("ID")).await().toString();
    Redis admin = Redis.createClient(vertx, TestServices.redisUrl());
    admin.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(3_000).arg("WRITE")).await();
    try {
      long start = System.nanoTime();
      Throwable failure = outside.send(Request.cmd(Command.SET).arg("authgate:test:stall-outside").arg("1"))
          .transform(ar -> Future.succeededFuture(ar.cause())).await(5, java.util.concurrent.TimeUnit.SECONDS);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(failure).as("the write held by the pause").hasMessage("redis did not answer within 200 ms");
      assertThat(millis).isBetween(190L, 1_500L);
      // The connection the write waits on was closed, not handed back: the next command gets
      // another one, and reads answer there while writes are still held.
      String after = outside.send(Request.cmd(Command.CLIENT).arg("ID")).await(2, java.util.concurrent.TimeUnit.SECONDS)
          .toString();
      assertThat(after).isNotEqualTo(before);
    } finally {
      admin.send(Request.cmd(Command.CLIENT).arg("UNPAUSE")).await();
    }
  }

  @Test
  void aCommandFromOutsideAnEventLoopThatGetsNoConnectionFailsAfterTheTimeout() throws Exception {
    Redis client = pool(1);
    RedisCommands outside = timingOut(client, 200);
    io.vertx.redis.client.RedisConnection taken = client.connect().await();
    long start = System.nanoTime();
    Throwable failure = outside.send(Request.cmd(Command.PING))
        .transform(ar -> Future.succeededFuture(ar.cause())).await(5, java.util.concurrent.TimeUnit.SECONDS);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(failure).hasMessage("redis did not answer within 200 ms");
    assertThat(millis).isBetween(190L, 1_500L);
    // Once the connection is back in the pool, commands go through, the late lease having been handed back.
    taken.close();
    assertThat(outside.send(Request.cmd(Command.ECHO).arg("back")).await(2, java.util.concurrent.TimeUnit.SECONDS)
        .toString()).isEqualTo("back");
    assertThat(outside.send(Request.cmd(Command.ECHO).arg("again")).await(2, java.util.concurrent.TimeUnit.SECONDS)
        .toString()).isEqualTo("again");
  }

  @Test
  void callbacksOfCallersOutsideVertxDoNotTakeAConnectionEach() throws Exception {
    // Each call from this thread completes on a context made for it; a command sent from there
    // once kept a pooled connection per context, and the third such call waited forever.
    RedisCommands small = new RedisCommands(vertx, Redis.createClient(vertx, new io.vertx.redis.client.RedisOptions()
        .setConnectionString(TestServices.redisUrl()).setMaxPoolSize(2).setMaxPoolWaiting(4)));
    for (int i = 0; i < 20; i++) {
      String echoed = small.send(Request.cmd(Command.ECHO).arg("a" + i))
          .compose(r -> small.send(Request.cmd(Command.ECHO).arg(r.toString() + "b")))
          .await(5, java.util.concurrent.TimeUnit.SECONDS).toString();
      assertThat(echoed).isEqualTo("a" + i + "b");
    }
  }
}
