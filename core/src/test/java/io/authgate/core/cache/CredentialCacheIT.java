package io.authgate.core.cache;

import static io.authgate.core.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.CacheConfig;
import io.authgate.core.config.Secret;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.events.RedisBroadcaster;
import io.authgate.core.identity.Group;
import io.authgate.core.identity.Principal;
import io.authgate.core.redis.RedisCommands;
import io.authgate.core.redis.RedisKeyIndex;
import io.authgate.core.testing.TestServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two-tier credential cache across two "processes" (two Vert.x instances) sharing a real Redis. */
class CredentialCacheIT {
  static final CredentialVerifier VERIFIER = CredentialVerifier.withKey(Secret.of("test-key-".repeat(4)));
  private static final Principal ALICE = new Principal("alice", "uid=alice,dc=x", "alice@x", "Alice",
      List.of(new Group("admins", "cn=admins,dc=x")), "corp");

  private Node a;
  private Node b;
  private RedisCommands admin;

  /** One process: its Vert.x, Redis clients (with a key index or not), broadcaster, cache and meters. */
  record Node(Vertx vertx, RedisCommands redis, Optional<RedisKeyIndex> index, Broadcaster broadcaster,
              CredentialCache cache, PrometheusMeterRegistry registry) {
    static Node start(CacheConfig config, boolean indexed) {
      Vertx vertx = Vertx.vertx();
      Optional<RedisKeyIndex> index = indexed
          ? Optional.of(new RedisKeyIndex(vertx, Redis.createClient(vertx, TestServices.redisUrl()),
              List.of(CredentialCache.REDIS_PREFIX), 10_000, Duration.ofMinutes(10)))
          : Optional.empty();
      RedisCommands redis = new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()), index);
      index.ifPresent(i -> {
        i.start();
        until("the key index answers", i::answering);
      });
      Broadcaster broadcaster = RedisBroadcaster.start(vertx, redis, Redis.createClient(vertx, TestServices.redisUrl()))
          .await();
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      return new Node(vertx, redis, index, broadcaster, new CredentialCache(vertx, config, Optional.of(redis),
          broadcaster, registry), registry);
    }

    double count(String tier, String result) {
      return registry.get("authgate.cache.requests").tags("tier", tier, "result", result).counter().count();
    }

    void close() {
      broadcaster.close().await();
      redis.close().await();
      vertx.close().await();
    }
  }

  /** @return 5 minutes fresh, an hour stale, 1,000 entries, fills sent to Redis after {@code writeDelayMillis} */
  private static CacheConfig config(long writeDelayMillis) {
    return new CacheConfig(Duration.ofMinutes(5), Duration.ofHours(1), 1000, Optional.empty(),
        Duration.ofMillis(writeDelayMillis));
  }

  Node nodeA() {
    return a;
  }

  Node nodeB() {
    return b;
  }

  /** @return whether every process follows Redis's keys with a {@link RedisKeyIndex} */
  boolean indexed() {
    return false;
  }

  @BeforeEach
  void start() {
    TestServices.flushRedis();
    a = Node.start(config(5), indexed());
    b = Node.start(config(5), indexed());
    admin = a.redis();
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  @Test
  void anEntryRememberedByOneProcessAnswersAnotherThroughRedis() {
    String key = VERIFIER.userKey("corp", "alice");
    byte[] verifier = VERIFIER.verifier(key, "right");
    a.cache().remember(key, verifier, ALICE);
    awaitRedisKey(key);

    assertThat(a.cache().lookup(key, verifier).await().principal()).isEqualTo(ALICE);
    assertThat(a.count("l1", "hit")).isEqualTo(1);

    CachedCredential fromRedis = b.cache().lookup(key, verifier).await();
    assertThat(fromRedis.principal()).isEqualTo(ALICE);
    assertThat(fromRedis.isFresh(System.currentTimeMillis())).isTrue();
    assertThat(b.count("l1", "miss")).isEqualTo(1);
    assertThat(b.count("l2", "hit")).isEqualTo(1);
    // Now in B's own L1.
    b.cache().lookup(key, verifier).await();
    assertThat(b.count("l1", "hit")).isEqualTo(1);
  }

  @Test
  void onlyMatchingCredentialsFindTheEntry() {
    String key = VERIFIER.userKey("corp", "alice");
    a.cache().remember(key, VERIFIER.verifier(key, "right"), ALICE);
    awaitRedisKey(key);
    assertThat(a.cache().lookup(key, VERIFIER.verifier(key, "wrong")).await()).isNull();
    assertThat(b.cache().lookup(key, VERIFIER.verifier(key, "wrong")).await()).isNull();
  }

  @Test
  void redisHoldsAVerifierButNeitherThePasswordNorTheUsername() {
    String key = VERIFIER.userKey("corp", "alice");
    a.cache().remember(key, VERIFIER.verifier(key, "very-secret-pw"), ALICE);
    awaitRedisKey(key);
    Response keys = admin.send(Request.cmd(Command.KEYS).arg("authgate:cred:*")).await();
    assertThat(keys.size()).isEqualTo(1);
    assertThat(keys.get(0).toString()).doesNotContain("alice").isEqualTo("authgate:cred:" + key);
    String stored = admin.send(Request.cmd(Command.GET).arg("authgate:cred:" + key)).await().toString();
    assertThat(stored).doesNotContain("very-secret-pw");
    long ttl = admin.send(Request.cmd(Command.PTTL).arg("authgate:cred:" + key)).await().toLong();
    assertThat(ttl).isBetween(Duration.ofMinutes(64).toMillis(), Duration.ofMinutes(65).toMillis());
  }

  @Test
  void aPurgeReachesEveryProcess() throws InterruptedException {
    String key = VERIFIER.userKey("corp", "alice");
    byte[] verifier = VERIFIER.verifier(key, "right");
    a.cache().remember(key, verifier, ALICE);
    awaitRedisKey(key);
    assertThat(b.cache().lookup(key, verifier).await()).isNotNull();

    a.cache().purge(key).await();
    long deadline = System.currentTimeMillis() + 2_000;
    while (b.cache().lookup(key, verifier).await() != null && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(b.cache().lookup(key, verifier).await()).isNull();
    assertThat(a.cache().lookup(key, verifier).await()).isNull();
  }

  @Test
  void pastItsFreshnessAnEntryIsStaleButStillFound() throws InterruptedException {
    CredentialCache shortLived = new CredentialCache(a.vertx(),
        new CacheConfig(Duration.ofMillis(100), Duration.ofHours(1), 10, Optional.empty(), Duration.ofMillis(5)),
        Optional.empty(),
        a.broadcaster(), a.registry());
    String key = VERIFIER.userKey("corp", "alice");
    byte[] verifier = VERIFIER.verifier(key, "right");
    shortLived.remember(key, verifier, ALICE);
    Thread.sleep(150);
    CachedCredential entry = shortLived.lookup(key, verifier).await();
    long now = System.currentTimeMillis();
    assertThat(entry.isFresh(now)).isFalse();
    assertThat(entry.isUsableWhenStale(now)).isTrue();
    assertThat(a.count("l1", "stale")).isEqualTo(1);
  }

  @Test
  void aPurgeDropsAWriteStillWaitingForItsBatch() throws InterruptedException {
    Node slow = Node.start(config(300), indexed());
    try {
      String key = VERIFIER.userKey("corp", "alice");
      slow.cache().remember(key, VERIFIER.verifier(key, "old-password"), ALICE);
      slow.cache().purge(key).await();
      Thread.sleep(600);
      assertThat(redisHas(key)).as("the purged entry was not written back").isFalse();
    } finally {
      slow.close();
    }
  }

  @Test
  void aPurgeInAnotherProcessDropsTheWriteWaitingHere() throws InterruptedException {
    Node slow = Node.start(config(500), indexed());
    try {
      String key = VERIFIER.userKey("corp", "alice");
      byte[] verifier = VERIFIER.verifier(key, "old-password");
      slow.cache().remember(key, verifier, ALICE);
      a.cache().purge(key).await();  // another process: Redis DEL, then the broadcast
      long deadline = System.currentTimeMillis() + 2_000;
      while (slow.cache().freshLocal(key, verifier) != null && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertThat(slow.cache().freshLocal(key, verifier)).as("the broadcast reached the slow process").isNull();
      Thread.sleep(800);
      assertThat(redisHas(key)).as("its waiting write was dropped with its L1 entry").isFalse();
    } finally {
      slow.close();
    }
  }

  private boolean redisHas(String key) {
    return admin.send(Request.cmd(Command.EXISTS).arg("authgate:cred:" + key)).await().toInteger() == 1;
  }

  /** Waits until the entry is in Redis and every process's key index, if any, knows it. */
  private void awaitRedisKey(String key) {
    String redisKey = CredentialCache.REDIS_PREFIX + key;
    until("the entry reached redis and every key index",
        () -> admin.send(Request.cmd(Command.EXISTS).arg(redisKey)).await().toInteger() == 1
            && Stream.of(a, b).allMatch(n -> n.index().map(i -> i.mayExist(redisKey)).orElse(true)));
  }
}
