package io.authgate.core.runtime;

import io.authgate.core.cache.CredentialCache;
import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.crypto.StoreSecrets;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.events.LocalBroadcaster;
import io.authgate.core.events.RedisBroadcaster;
import io.authgate.core.observability.Readiness;
import io.authgate.core.redis.RedisClients;
import io.authgate.core.redis.RedisCommands;
import io.authgate.core.redis.RedisKeyIndex;
import io.authgate.core.regulation.RedisRegulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the roles of one process share: Vert.x, the configuration, the meter registry, Redis (when
 * configured) with the broadcaster that crosses processes, the store, and the readiness checks.
 * Built once at start. Thread-safe.
 *
 * @param vertx the process's Vert.x
 * @param config the configuration
 * @param registry the Prometheus registry every meter goes to
 * @param redis sends Redis commands, or empty for in-process only
 * @param broadcaster publishes events to every process
 * @param store the PostgreSQL pool, or empty when this process has none
 * @param readiness the checks {@code /health/ready} runs
 * @param accounts the user keys, credential cache, sessions and blocked accounts every role shares
 * @param secrets the box sealing the store's secrets, found once for every role
 */
public record Platform(Vertx vertx, AuthgateConfig config, PrometheusMeterRegistry registry,
                       Optional<RedisCommands> redis,
                       Broadcaster broadcaster, Optional<Pool> store, Readiness readiness, Accounts accounts,
                       StoreSecrets secrets) {

  private static final Duration MIN_KEY_INDEX_REBUILD = Duration.ofMinutes(10);

  /**
   * Connects to Redis when configured (subscribing to cross-process events) and registers the
   * store and Redis readiness checks.
   *
   * @param store the store, opened and migrated by the caller, or empty
   * @return the platform once Redis answers
   */
  public static Future<Platform> start(Vertx vertx, AuthgateConfig config, PrometheusMeterRegistry registry,
                                       Optional<Pool> store) {
    Readiness readiness = new Readiness(vertx);
    store.ifPresent(pool -> readiness.register("postgres", true, () -> pool.query("SELECT 1").execute()));
    if (config.redis().url().isEmpty()) {
      Broadcaster local = new LocalBroadcaster(vertx);
      return Accounts.start(vertx, config, registry, Optional.empty(), local, store)
          .map(accounts -> new Platform(vertx, config, registry, Optional.empty(), local, store, readiness, accounts,
              new StoreSecrets(vertx, config)));
    }
    Optional<RedisKeyIndex> index = keyIndex(vertx, config, registry);
    RedisCommands redis = new RedisCommands(vertx, RedisClients.pooled(vertx, config.redis()), index,
        config.redis().commandTimeout());
    readiness.register("redis", true, () -> RedisClients.ping(redis));
    return RedisClients.ping(redis)
        .onSuccess(v -> index.ifPresent(RedisKeyIndex::start))
        .compose(v -> RedisBroadcaster.start(vertx, redis, RedisClients.pooled(vertx, config.redis())))
        .compose(broadcaster -> Accounts.start(vertx, config, registry, Optional.of(redis), broadcaster, store)
            .map(accounts -> new Platform(vertx, config, registry, Optional.of(redis), broadcaster, store, readiness,
                accounts, new StoreSecrets(vertx, config))));
  }

  /**
   * @return the index of the cache entries and regulation markers that may exist in Redis, not yet
   *     started; empty when {@code redis.keyIndexMaxKeys} is 0. It is rebuilt once per cache entry
   *     lifetime (fresh and stale windows), and at least every 10 minutes.
   */
  private static Optional<RedisKeyIndex> keyIndex(Vertx vertx, AuthgateConfig config, MeterRegistry registry) {
    int maxKeys = config.redis().keyIndexMaxKeys();
    if (maxKeys == 0) {
      return Optional.empty();
    }
    Duration lifetime = config.cache().freshTtl().plus(config.cache().staleWindow());
    Duration rebuildEvery = lifetime.compareTo(MIN_KEY_INDEX_REBUILD) < 0 ? MIN_KEY_INDEX_REBUILD : lifetime;
    RedisKeyIndex index = new RedisKeyIndex(vertx, RedisClients.forKeyIndex(vertx, config.redis()),
        List.of(CredentialCache.REDIS_PREFIX, RedisRegulator.MARKER), maxKeys, rebuildEvery);
    index.registerMeters(registry);
    return Optional.of(index);
  }

  /** Closes the accounts' background work, Redis and the broadcaster; the store belongs to whoever opened it. */
  public Future<Void> close() {
    return accounts.close().eventually(broadcaster::close)
        .eventually(() -> redis.map(RedisCommands::close).orElse(Future.succeededFuture()));
  }
}
