package io.authgate.core.regulation;

import static io.authgate.core.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.RedisConfig;
import io.authgate.core.config.RegulationConfig;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.events.LocalBroadcaster;
import io.authgate.core.events.RedisBroadcaster;
import io.authgate.core.redis.RedisCommands;
import io.authgate.core.redis.RedisKeyIndex;
import io.authgate.core.testing.TestServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Regulation semantics, the same in-process, shared through a real Redis, and with Redis down. */
class RegulatorIT {
  private static final RegulationConfig CONFIG = new RegulationConfig(true, 5, Duration.ofMinutes(2),
      Duration.ofMinutes(5));
  /** Nothing listens on port 1: every command to it is refused at once, as by a Redis that is down. */
  private static final String DOWN = "redis://127.0.0.1:1";
  private final List<Runnable> cleanup = new ArrayList<>();
  private PrometheusMeterRegistry registry;

  @BeforeEach
  void flush() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TestServices.flushRedis();
  }

  @AfterEach
  void stop() {
    cleanup.forEach(Runnable::run);
  }

  private Regulator regulator(String kind) {
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    if (kind.equals("local")) {
      return new LocalRegulator(vertx, CONFIG, new LocalBroadcaster(vertx), registry);
    }
    if (kind.equals("redis-down")) {
      // Redis went down after the start: the subscription had been made, commands now fail.
      RedisCommands down = new RedisCommands(vertx, Redis.createClient(vertx, DOWN));
      Broadcaster broadcaster = RedisBroadcaster.start(vertx, down, Redis.createClient(vertx, TestServices.redisUrl()))
          .await();
      return new RedisRegulator(vertx, down, CONFIG, broadcaster, registry);
    }
    RedisCommands redis = commands(vertx, kind);
    Broadcaster broadcaster = RedisBroadcaster.start(vertx, redis, Redis.createClient(vertx, TestServices.redisUrl()))
        .await();
    return new RedisRegulator(vertx, redis, CONFIG, broadcaster, registry);
  }

  /** @return Redis commands; for {@code redis-indexed}, with a key index that already answers */
  private RedisCommands commands(Vertx vertx, String kind) {
    return commands(vertx, kind, RedisConfig.DEFAULT_COMMAND_TIMEOUT);
  }

  private RedisCommands commands(Vertx vertx, String kind, Duration commandTimeout) {
    if (!kind.equals("redis-indexed")) {
      return new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()), Optional.empty(),
          commandTimeout);
    }
    RedisKeyIndex index = new RedisKeyIndex(vertx, Redis.createClient(vertx, TestServices.redisUrl()),
        List.of(RedisRegulator.MARKER), 10_000, Duration.ofMinutes(10));
    cleanup.add(0, () -> index.close().await());
    index.start();
    until("the key index answers", index::answering);
    return new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()), Optional.of(index),
        commandTimeout);
  }

  private static byte[] v(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis", "redis-indexed", "redis-down"})
  void fiveDistinctWrongPasswordsBanTheUserEverywhere(String kind) {
    Regulator regulator = regulator(kind);
    assertThat(regulator.check("u1", "10.0.0.2", v("first")).await()).isEqualTo(Verdict.ALLOW);
    for (int i = 1; i <= 4; i++) {
      regulator.recordFailure("u1", "10.0.0.1", v("guess-" + i)).await();
      assertThat(regulator.check("u1", "10.0.0.2", v("next")).await()).isEqualTo(Verdict.ALLOW_AFTER_FAILURES);
    }
    regulator.recordFailure("u1", "10.0.0.1", v("guess-5")).await();
    assertThat(regulator.isBanned("u1", "10.0.0.1")).isTrue();
    assertThat(regulator.isBanned("u1", "10.9.9.9")).isTrue();
    assertThat(regulator.check("u1", "10.9.9.9", v("the-right-one")).await()).isEqualTo(Verdict.BANNED);
    assertThat(regulator.isBanned("someone-else", "10.0.0.1")).isFalse();
    assertThat(registry.get("authgate.regulation.bans").tag("scope", "user").counter().count()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis", "redis-indexed", "redis-down"})
  void theSameWrongPasswordAgainIsRefusedWithoutCountingTwice(String kind) {
    Regulator regulator = regulator(kind);
    regulator.recordFailure("u2", "10.0.0.1", v("stale-password")).await();
    for (int i = 0; i < 20; i++) {
      assertThat(regulator.check("u2", "10.0.0.1", v("stale-password")).await()).isEqualTo(Verdict.REPEATED_FAILURE);
    }
    assertThat(regulator.isBanned("u2", "10.0.0.1")).isFalse();
    assertThat(regulator.check("u2", "10.0.0.1", v("a-new-guess")).await()).isEqualTo(Verdict.ALLOW_AFTER_FAILURES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis", "redis-indexed", "redis-down"})
  void aPasswordRefusedForTheAccountsStateIsAskedAgainButCountsOnce(String kind) {
    Regulator regulator = regulator(kind);
    for (int i = 0; i < 6; i++) {
      regulator.recordRefusal("u9", "10.0.0.1", v("right-but-locked")).await();
      assertThat(regulator.check("u9", "10.0.0.1", v("right-but-locked")).await())
          .isEqualTo(Verdict.ALLOW_AFTER_FAILURES);
    }
    assertThat(regulator.isBanned("u9", "10.0.0.1")).isFalse();
    // It is one of the five distinct passwords that ban, beside four wrong ones.
    for (int i = 1; i <= 3; i++) {
      regulator.recordFailure("u9", "10.0.0.1", v("guess-" + i)).await();
    }
    assertThat(regulator.isBanned("u9", "10.0.0.1")).isFalse();
    regulator.recordFailure("u9", "10.0.0.1", v("guess-4")).await();
    assertThat(regulator.isBanned("u9", "10.0.0.1")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis", "redis-indexed", "redis-down"})
  void aSuccessStartsTheCountOver(String kind) {
    Regulator regulator = regulator(kind);
    for (int i = 1; i <= 4; i++) {
      regulator.recordFailure("u3", "10.0.0.1", v("typo-" + i)).await();
    }
    Future<Void> reset = regulator.recordSuccess("u3", "10.0.0.1");
    reset.otherwiseEmpty().await();
    // With Redis down, its part fails and says so; the count kept in the process starts over all the same.
    assertThat(reset.failed()).isEqualTo(kind.equals("redis-down"));
    assertThat(regulator.check("u3", "10.0.0.1", v("anything")).await()).isEqualTo(Verdict.ALLOW);
    for (int i = 5; i <= 8; i++) {
      regulator.recordFailure("u3", "10.0.0.1", v("typo-" + i)).await();
    }
    assertThat(regulator.isBanned("u3", "10.0.0.1")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-indexed"})
  void aBanDecidedByOneProcessIsKnownToAnotherAtOnce(String kind) throws InterruptedException {
    Regulator first = regulator(kind);
    Regulator second = regulator(kind);
    for (int i = 1; i <= 5; i++) {
      first.recordFailure("u4", "10.0.0.1", v("guess-" + i)).await();
    }
    long deadline = System.currentTimeMillis() + 2_000;
    while (!second.isBanned("u4", "10.0.0.7") && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertThat(second.isBanned("u4", "10.0.0.7")).isTrue();
    // And a process that missed the broadcast still finds the ban in Redis before asking the directory.
    Regulator late = regulator(kind);
    assertThat(late.check("u4", "10.0.0.7", v("x")).await()).isEqualTo(Verdict.BANNED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis", "redis-indexed", "redis-down"})
  void failuresFromOneAddressBanThatAddressForTheUser(String kind) {
    Regulator regulator = regulator(kind);
    for (int i = 1; i <= 4; i++) {
      regulator.recordFailure("u5", "10.0.0.1", v("a-" + i)).await();
    }
    assertThat(regulator.isBanned("u5", "10.0.0.1")).isFalse();
    regulator.recordFailure("u5", "10.0.0.1", v("a-5")).await();
    assertThat(regulator.isBanned("u5", "10.0.0.1")).isTrue();
    assertThat(registry.get("authgate.regulation.bans").tag("scope", "user_ip").counter().count()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-indexed"})
  void aBanOutlivesTheFailuresThatCausedItForAProcessThatMissedTheBroadcast(String kind) throws InterruptedException {
    // A window shorter than the ban: the failure sets expire while the ban holds. The check's
    // fast path looks at one marker per user; it must still see the ban.
    RegulationConfig shortWindow = new RegulationConfig(true, 5, Duration.ofMillis(300), Duration.ofSeconds(30));
    Regulator first = processWithoutBroadcasts(shortWindow, kind);
    Regulator late = processWithoutBroadcasts(shortWindow, kind);
    for (int i = 1; i <= 5; i++) {
      first.recordFailure("u6", "10.0.0.1", v("guess-" + i)).await();
    }
    Thread.sleep(600);
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    assertThat(Redis.createClient(vertx, TestServices.redisUrl())
        .send(Request.cmd(Command.EXISTS).arg(RedisRegulator.FAILURES + "u6")).await().toInteger())
        .as("the failures have expired").isZero();
    assertThat(late.isBanned("u6", "10.0.0.9")).as("no broadcast reached it").isFalse();
    assertThat(late.check("u6", "10.0.0.9", v("the-right-one")).await()).isEqualTo(Verdict.BANNED);
    assertThat(late.check("u6-neighbour", "10.0.0.9", v("x")).await()).isEqualTo(Verdict.ALLOW);
  }

  /** A Redis-backed regulator in a Vert.x of its own whose bans reach no other process. */
  private Regulator processWithoutBroadcasts(RegulationConfig config, String kind) {
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    RedisCommands redis = commands(vertx, kind);
    return new RedisRegulator(vertx, redis, config, new LocalBroadcaster(vertx), registry);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-indexed"})
  void aFailureRecordedByOneProcessIsCheckedByAnother(String kind) throws InterruptedException {
    Regulator first = regulator(kind);
    Regulator second = regulator(kind);
    assertThat(second.check("u8", "10.0.0.2", v("wrong")).await()).isEqualTo(Verdict.ALLOW);
    first.recordFailure("u8", "10.0.0.1", v("wrong")).await();
    // A key index learns of the user's new marker from Redis's message, a moment after the script.
    long deadline = System.currentTimeMillis() + 2_000;
    Verdict verdict = second.check("u8", "10.0.0.2", v("wrong")).await();
    while (verdict == Verdict.ALLOW && System.currentTimeMillis() < deadline) {
      Thread.sleep(1);
      verdict = second.check("u8", "10.0.0.2", v("wrong")).await();
    }
    assertThat(verdict).isEqualTo(Verdict.REPEATED_FAILURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-indexed"})
  void failuresFromAnyAddressAreSeenByTheCheckFromAnother(String kind) {
    Regulator regulator = regulator(kind);
    regulator.recordFailure("u7", "10.0.0.1", v("wrong")).await();
    // The user+address failures of 10.0.0.1 and the user's own are both on record.
    assertThat(regulator.check("u7", "10.0.0.1", v("wrong")).await()).isEqualTo(Verdict.REPEATED_FAILURE);
    assertThat(regulator.check("u7", "10.0.0.2", v("wrong")).await()).isEqualTo(Verdict.REPEATED_FAILURE);
    assertThat(regulator.check("u7", "10.0.0.2", v("other")).await()).isEqualTo(Verdict.ALLOW_AFTER_FAILURES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "redis-indexed"})
  void failuresRedisCouldNotTakeStillCountOnceItAnswersAgain(String kind) {
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    RedisCommands redis = commands(vertx, kind, Duration.ofMillis(300));
    Regulator regulator = new RedisRegulator(vertx, redis, CONFIG, new LocalBroadcaster(vertx), registry);
    Redis admin = Redis.createClient(vertx, TestServices.redisUrl());
    // Redis holds every write, the failure script included, and still answers reads: the EXISTS of
    // the check's fast path says the user has nothing on record there.
    admin.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(10_000).arg("WRITE")).await();
    try {
      regulator.recordFailure("u9", "10.0.0.1", v("stale-password")).await();
      assertThat(regulator.check("u9", "10.0.0.1", v("stale-password")).await()).isEqualTo(Verdict.REPEATED_FAILURE);
      assertThat(regulator.check("u9", "10.0.0.1", v("a-new-guess")).await()).isEqualTo(Verdict.ALLOW_AFTER_FAILURES);
      for (int i = 1; i <= 4; i++) {
        regulator.recordFailure("u9", "10.0.0.1", v("guess-" + i)).await();
      }
    } finally {
      admin.send(Request.cmd(Command.CLIENT).arg("UNPAUSE")).await();
    }
    assertThat(regulator.isBanned("u9", "10.0.0.2")).isTrue();
    assertThat(regulator.check("u9", "10.0.0.2", v("the-right-one")).await()).isEqualTo(Verdict.BANNED);
    assertThat(regulator.check("u9-neighbour", "10.0.0.1", v("x")).await()).isEqualTo(Verdict.ALLOW);
  }
}
