package io.authgate.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.SessionConfig;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.events.RedisBroadcaster;
import io.authgate.core.identity.Group;
import io.authgate.core.identity.Principal;
import io.authgate.core.redis.RedisCommands;
import io.authgate.core.testing.TestServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Session semantics, the same in process and in a real Redis shared by two processes. */
class SessionStoreIT {
  private static final Principal ALICE = new Principal("alice", "uid=alice,dc=x", "alice@x", "Alice",
      List.of(new Group("admins", "cn=admins,dc=x")), "corp");
  private final List<Runnable> cleanup = new ArrayList<>();

  @BeforeEach
  void flush() {
    Vertx vertx = Vertx.vertx();
    Redis.createClient(vertx, TestServices.redisUrl()).send(Request.cmd(Command.FLUSHDB)).await();
    vertx.close().await();
  }

  @AfterEach
  void stop() {
    cleanup.forEach(Runnable::run);
  }

  private SessionStore store(String kind, SessionConfig config) {
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (kind.equals("local")) {
      return new LocalSessionStore(config, registry);
    }
    RedisCommands redis = new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()));
    Broadcaster broadcaster = RedisBroadcaster.start(vertx, redis, Redis.createClient(vertx, TestServices.redisUrl()))
        .await();
    SessionStore store = new RedisSessionStore(vertx, redis, config, broadcaster, registry);
    cleanup.add(() -> store.close().await());
    return store;
  }

  private static SessionConfig config(Duration idle, Duration absolute) {
    return new SessionConfig(idle, absolute, "authgate_session", Optional.empty(), true);
  }

  private static final SessionConfig LONG = config(Duration.ofMinutes(30), Duration.ofHours(12));

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void aTokenFindsItsSessionAndNothingElseDoes(String kind) {
    SessionStore store = store(kind, LONG);
    IssuedSession issued = store.open("user-key-1", ALICE, List.of("admin")).await();
    assertThat(issued.token()).hasSize(43).matches("[A-Za-z0-9_-]+");
    Session found = store.find(issued.token()).await();
    assertThat(found.principal()).isEqualTo(ALICE);
    assertThat(found.roles()).containsExactly("admin");
    assertThat(found.id()).isEqualTo(SessionTokens.idOf(issued.token())).isNotEqualTo(issued.token());
    assertThat(store.find(SessionTokens.newToken()).await()).isNull();
    assertThat(store.find("not-a-token").await()).isNull();
    assertThat(store.find(null).await()).isNull();
    assertThat(issued.toString()).doesNotContain(issued.token());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void everyLoginGetsANewSessionAndRevokingOneLeavesTheOthers(String kind) {
    SessionStore store = store(kind, LONG);
    IssuedSession first = store.open("user-key-2", ALICE, List.of()).await();
    IssuedSession second = store.open("user-key-2", ALICE, List.of()).await();
    assertThat(first.token()).isNotEqualTo(second.token());
    store.revoke(first.token()).await();
    assertThat(store.find(first.token()).await()).isNull();
    assertThat(store.find(second.token()).await()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void revokingAUserEndsAllTheirSessionsOnly(String kind) {
    SessionStore store = store(kind, LONG);
    IssuedSession a = store.open("user-key-3", ALICE, List.of()).await();
    IssuedSession b = store.open("user-key-3", ALICE, List.of()).await();
    IssuedSession other = store.open("someone-else", ALICE, List.of()).await();
    assertThat(store.revokeAll("user-key-3").await()).isEqualTo(2);
    assertThat(store.find(a.token()).await()).isNull();
    assertThat(store.find(b.token()).await()).isNull();
    assertThat(store.find(other.token()).await()).isNotNull();
    assertThat(store.revokeAll("user-key-3").await()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void anUnusedSessionEndsAtTheIdleTimeoutAndAUsedOneAtTheAbsoluteOne(String kind) throws InterruptedException {
    SessionStore idle = store(kind, config(Duration.ofMillis(1_200), Duration.ofHours(1)));
    IssuedSession unused = idle.open("u-idle", ALICE, List.of()).await();
    IssuedSession used = idle.open("u-used", ALICE, List.of()).await();
    for (int i = 0; i < 5; i++) {
      Thread.sleep(500);
      assertThat(idle.find(used.token()).await()).as("used every 0.5 s").isNotNull();
    }
    assertThat(idle.find(unused.token()).await()).as("unused for 2.5 s").isNull();

    SessionStore absolute = store(kind, config(Duration.ofMillis(900), Duration.ofMillis(1_500)));
    IssuedSession session = absolute.open("u-abs", ALICE, List.of()).await();
    for (int i = 0; i < 3; i++) {
      Thread.sleep(400);
      assertThat(absolute.find(session.token()).await()).isNotNull();
    }
    Thread.sleep(500);
    assertThat(absolute.find(session.token()).await()).as("past the absolute timeout").isNull();
  }

  @Test
  void aRevocationOnOneProcessReachesAnotherAtOnceAndRedisKeepsOnlyAHash() throws InterruptedException {
    SessionStore first = store("redis", LONG);
    SessionStore second = store("redis", LONG);
    IssuedSession issued = first.open("user-key-4", ALICE, List.of()).await();
    assertThat(second.find(issued.token()).await()).as("found through Redis").isNotNull();

    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    Response keys = Redis.createClient(vertx, TestServices.redisUrl()).send(Request.cmd(Command.KEYS).arg("*"))
        .await();
    keys.forEach(k -> assertThat(k.toString()).doesNotContain(issued.token()));

    first.revokeAll("user-key-4").await();
    Supplier<Session> fromSecond = () -> second.find(issued.token()).await();
    long deadline = System.currentTimeMillis() + 2_000;
    while (fromSecond.get() != null && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(fromSecond.get()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void liveSessionsAreCounted(String kind) throws InterruptedException {
    SessionStore store = store(kind, LONG);
    store.open("c1", ALICE, List.of()).await();
    IssuedSession second = store.open("c2", ALICE, List.of()).await();
    assertThat(store.active()).isEqualTo(2);
    store.revoke(second.token()).await();
    if (kind.equals("local")) {
      assertThat(store.active()).isEqualTo(1);
    }
  }
}
