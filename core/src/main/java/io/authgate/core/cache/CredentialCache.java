package io.authgate.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.authgate.core.config.CacheConfig;
import io.authgate.core.events.Addresses;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.identity.Principal;
import io.authgate.core.metrics.MetricNames;
import io.authgate.core.observability.RepeatedWarning;
import io.authgate.core.redis.DeferredWrites;
import io.authgate.core.redis.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.Optional;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Successful binds, remembered in process (L1, Caffeine) and, when Redis is configured, shared
 * between processes (L2); an L1 miss for a user the Redis key index knows has no entry costs no
 * round trip. A lookup only returns an entry whose verifier matches the credentials
 * presented. Purges reach every process through the {@link Broadcaster}. One per process;
 * thread-safe.
 */
public final class CredentialCache {
  /** The prefix of the entries' keys in Redis. */
  public static final String REDIS_PREFIX = "authgate:cred:";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialCache.class);
  private static final RepeatedWarning LOOKUP_FAILED = new RepeatedWarning(LOG);

  private final CacheConfig config;
  private final Cache<String, CachedCredential> local;
  private final Optional<RedisCommands> redis;
  private final Optional<DeferredWrites> fills;
  private final Broadcaster broadcaster;
  private final TierMeters l1;
  private final TierMeters l2;

  /**
   * @param vertx whose event bus delivers purges from other processes
   * @param config freshness, stale window and size
   * @param redis the shared tier, or empty for in-process only
   * @param broadcaster carries purges to every process
   * @param registry where {@code authgate_cache_requests_total} goes
   */
  public CredentialCache(Vertx vertx, CacheConfig config, Optional<RedisCommands> redis, Broadcaster broadcaster,
                         MeterRegistry registry) {
    this.config = config;
    this.redis = redis;
    this.fills = redis.map(r -> new DeferredWrites(vertx, r, config.redisWriteDelay().toMillis()));
    this.broadcaster = broadcaster;
    this.local = Caffeine.newBuilder()
        .maximumSize(config.maxEntries())
        // Maintenance on the calling thread: handing it to the common pool woke a thread for every
        // write, about 6 % of the gateway's CPU on uncached logins (async-profiler, bench.sh).
        .executor(Runnable::run)
        .expireAfter(Expiry.<String, CachedCredential>writing((key, entry) ->
            Duration.ofMillis(Math.max(0, entry.staleUntil() - System.currentTimeMillis()))))
        .build();
    this.l1 = new TierMeters(registry, "l1");
    this.l2 = new TierMeters(registry, "l2");
    // A purge elsewhere also drops this process's fill of the user still waiting for its batch,
    // which would otherwise put the purged entry back into Redis.
    vertx.eventBus().<String>localConsumer(Addresses.CREDENTIALS_INVALIDATED, m -> {
      local.invalidate(m.body());
      fills.ifPresent(f -> f.cancel(REDIS_PREFIX + m.body()));
    });
    vertx.eventBus().<String>localConsumer(Addresses.EVENTS_RESYNC, m -> {
      local.invalidateAll();
      fills.ifPresent(DeferredWrites::cancelAll);
    });
  }

  /**
   * @param userKey the user's key
   * @param verifier the verifier of the credentials presented
   * @return the freshest entry for the user whose verifier matches, or null
   */
  public Future<CachedCredential> lookup(String userKey, byte[] verifier) {
    long now = System.currentTimeMillis();
    CachedCredential near = matching(local.getIfPresent(userKey), verifier);
    if (near != null && near.isFresh(now)) {
      l1.hit.increment();
      return Future.succeededFuture(near);
    }
    (near == null ? l1.miss : l1.stale).increment();
    if (redis.isEmpty()) {
      return Future.succeededFuture(near);
    }
    String key = REDIS_PREFIX + userKey;
    return redis.get().readIfPresent(key, Request.cmd(Command.GET).arg(key))
        .map(response -> {
          CachedCredential far = response == null ? null : matching(decode(response.toBytes()), verifier);
          if (far == null) {
            l2.miss.increment();
            return near;
          }
          (far.isFresh(now) ? l2.hit : l2.stale).increment();
          if (near == null || far.freshUntil() > near.freshUntil()) {
            local.put(userKey, far);
            return far;
          }
          return near;
        })
        .recover(e -> {
          LOOKUP_FAILED.warn("redis cache lookup failed: {}", e);
          l2.miss.increment();
          return Future.succeededFuture(near);
        });
  }

  /**
   * A quick, local-only look for a fresh matching entry, without counting a lookup. A caller that
   * missed the cache and is about to bind checks here first: a concurrent bind for the same
   * credentials may have finished in the meantime, and it stores here before it completes.
   *
   * @return the fresh matching entry in this process, or null
   */
  public CachedCredential freshLocal(String userKey, byte[] verifier) {
    CachedCredential entry = matching(local.getIfPresent(userKey), verifier);
    return entry != null && entry.isFresh(System.currentTimeMillis()) ? entry : null;
  }

  /**
   * Remembers a successful bind in both tiers. The shared tier is written in the background, with
   * the entries that follow within {@code cache.redisWriteDelay}; a failure there is logged and
   * costs only a later cache miss.
   *
   * @return the stored entry
   */
  public CachedCredential remember(String userKey, byte[] verifier, Principal principal) {
    long freshUntil = System.currentTimeMillis() + config.freshTtl().toMillis();
    CachedCredential entry = new CachedCredential(verifier, principal, freshUntil,
        freshUntil + config.staleWindow().toMillis());
    local.put(userKey, entry);
    fills.ifPresent(f -> f.set(REDIS_PREFIX + userKey, CachedCredentialCodec.encode(entry), entry.staleUntil()));
    return entry;
  }

  /**
   * Forgets a user's cached credentials in this process, in Redis, and in every other process.
   *
   * @param userKey the user's key
   * @return completes when Redis has dropped the entry and the purge is broadcast
   */
  public Future<Void> purge(String userKey) {
    local.invalidate(userKey);
    fills.ifPresent(f -> f.cancel(REDIS_PREFIX + userKey));
    Future<Void> shared = redis.map(r -> r.send(Request.cmd(Command.DEL).arg(REDIS_PREFIX + userKey)).<Void>mapEmpty())
        .orElse(Future.succeededFuture());
    return shared.compose(v -> broadcaster.publish(Addresses.CREDENTIALS_INVALIDATED, userKey));
  }

  private static CachedCredential matching(CachedCredential entry, byte[] verifier) {
    return entry != null && CredentialVerifier.matches(entry.verifier(), verifier) ? entry : null;
  }

  private static CachedCredential decode(byte[] stored) {
    try {
      return CachedCredentialCodec.decode(stored);
    } catch (RuntimeException e) {
      LOG.warn("ignoring an unreadable cache entry in redis");
      return null;
    }
  }

  /** The counters of one tier. */
  private static final class TierMeters {
    final Counter hit;
    final Counter stale;
    final Counter miss;

    TierMeters(MeterRegistry registry, String tier) {
      hit = counter(registry, tier, "hit");
      stale = counter(registry, tier, "stale");
      miss = counter(registry, tier, "miss");
    }

    private static Counter counter(MeterRegistry registry, String tier, String result) {
      return Counter.builder(MetricNames.CACHE_REQUESTS)
          .description("Credential cache lookups: hit (fresh match), stale (match past freshness), miss")
          .tag(MetricNames.TIER, tier).tag(MetricNames.RESULT, result).register(registry);
    }
  }
}
