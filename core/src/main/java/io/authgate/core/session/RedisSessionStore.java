package io.authgate.core.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.authgate.core.config.SessionConfig;
import io.authgate.core.events.Addresses;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.identity.Principal;
import io.authgate.core.metrics.MetricNames;
import io.authgate.core.redis.LuaScript;
import io.authgate.core.redis.RedisCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions in Redis, shared by every gateway. A session is a JSON value whose Redis expiry is its
 * idle deadline (never past its absolute one); each user has a set of their session ids, so all of
 * them can be revoked at once. Each process keeps recently used sessions for {@link #LOCAL_TTL}
 * so a verify rarely leaves the process, and tells Redis of a session's use at most every
 * {@code touchInterval}. Revocations are broadcast and drop the session from every process at once.
 * Thread-safe.
 */
public final class RedisSessionStore implements SessionStore {
  /** How long a session read from Redis is trusted in process before it is read again. */
  static final Duration LOCAL_TTL = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);
  static final String SESSION = "authgate:sess:";
  static final String USER = "authgate:sess:user:";
  static final String LIVE = "authgate:sess:live";

  /**
   * KEYS: session, user index, live set. ARGV: id, json, idle ms, absolute ms, deadline. Returns the
   * live set's size.
   */
  private static final LuaScript OPEN = LuaScript.of("""
      redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
      redis.call('SADD', KEYS[2], ARGV[1])
      redis.call('PEXPIRE', KEYS[2], ARGV[4])
      redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
      return redis.call('ZCARD', KEYS[3])
      """);

  /** KEYS: session, live set. ARGV: id, now, idle ms. Returns the session, its expiry moved on. */
  private static final LuaScript TOUCH = LuaScript.of("""
      local value = redis.call('GET', KEYS[1])
      if not value then return false end
      local expires = cjson.decode(value)['e']
      local ttl = math.min(tonumber(ARGV[3]), expires - tonumber(ARGV[2]))
      if ttl <= 0 then
        redis.call('DEL', KEYS[1])
        return false
      end
      redis.call('PEXPIRE', KEYS[1], ttl)
      redis.call('ZADD', KEYS[2], 'XX', tonumber(ARGV[2]) + ttl, ARGV[1])
      return value
      """);

  /** KEYS: session, live set. ARGV: id, user prefix. Returns 1 when a session was removed. */
  private static final LuaScript REVOKE = LuaScript.of("""
      local value = redis.call('GET', KEYS[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      if not value then return 0 end
      redis.call('DEL', KEYS[1])
      redis.call('SREM', ARGV[2] .. cjson.decode(value)['u'], ARGV[1])
      return 1
      """);

  /** KEYS: user index, live set. ARGV: session prefix. Returns the ids removed. */
  private static final LuaScript REVOKE_ALL = LuaScript.of("""
      local ids = redis.call('SMEMBERS', KEYS[1])
      for _, id in ipairs(ids) do
        redis.call('DEL', ARGV[1] .. id)
        redis.call('ZREM', KEYS[2], id)
      end
      redis.call('DEL', KEYS[1])
      return ids
      """);

  /** KEYS: user index. ARGV: session prefix. Returns the user's sessions, forgetting ended ones. */
  private static final LuaScript LIST = LuaScript.of("""
      local ids = redis.call('SMEMBERS', KEYS[1])
      local found = {}
      for _, id in ipairs(ids) do
        local value = redis.call('GET', ARGV[1] .. id)
        if value then
          table.insert(found, value)
        else
          redis.call('SREM', KEYS[1], id)
        end
      end
      return found
      """);

  /** KEYS: live set. ARGV: now. Forgets ended sessions and counts the rest. */
  private static final LuaScript COUNT = LuaScript.of("""
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
      return redis.call('ZCARD', KEYS[1])
      """);

  /** A session held in process: when it was read from Redis and when Redis last heard of its use. */
  private record Local(Session session, long readAt, long touchedAt) {}

  private final Vertx vertx;
  private final RedisCommands redis;
  private final SessionConfig config;
  private final Broadcaster broadcaster;
  private final Cache<String, Local> local;
  private final long touchIntervalMillis;
  private final AtomicLong active = new AtomicLong();
  /** Opens whose live count was applied: a periodic count that raced one of them is dropped, as older. */
  private final AtomicLong opensApplied = new AtomicLong();
  private final long countTimer;
  private final MeterRegistry registry;
  private final Gauge gauge;

  /**
   * @param vertx runs the periodic count and receives revocations from other processes
   * @param redis the shared store
   * @param config timeouts
   * @param broadcaster tells every process of revocations
   * @param registry where {@code authgate_sessions_active} goes
   */
  public RedisSessionStore(Vertx vertx, RedisCommands redis, SessionConfig config, Broadcaster broadcaster,
                           MeterRegistry registry) {
    this.vertx = vertx;
    this.redis = redis;
    this.config = config;
    this.broadcaster = broadcaster;
    this.local = Caffeine.newBuilder().maximumSize(1_000_000).executor(Runnable::run)
        .expireAfterWrite(LOCAL_TTL).build();
    // A tenth of the idle timeout (at most a minute): Redis hears of use well before the session could lapse.
    this.touchIntervalMillis = Math.max(1, Math.min(60_000, config.idleTimeout().toMillis() / 10));
    vertx.eventBus().<String>localConsumer(Addresses.SESSION_REVOKED, m -> local.invalidate(m.body()));
    vertx.eventBus().<String>localConsumer(Addresses.EVENTS_RESYNC, m -> local.invalidateAll());
    this.countTimer = vertx.setPeriodic(1, 10_000, t -> count());
    this.registry = registry;
    this.gauge = Gauge.builder(MetricNames.SESSIONS_ACTIVE, active, AtomicLong::get)
        .description("Live sessions, counted every 10 s").register(registry);
  }

  @Override
  public Future<IssuedSession> open(String userKey, Principal principal, List<String> roles) {
    String token = SessionTokens.newToken();
    long now = System.currentTimeMillis();
    long absolute = config.absoluteTimeout().toMillis();
    long idle = config.idleTimeout().toMillis();
    Session session = new Session(SessionTokens.idOf(token), userKey, principal, roles, now, now + absolute);
    return redis.eval(OPEN, List.of(SESSION + session.id(), USER + userKey, LIVE),
            List.of(session.id(), session.toJson().encode(), idle, absolute, now + idle))
        .map(live -> {
          local.put(session.id(), new Local(session, now, now));
          // Every process's live sessions right after this one was added (expired ones until a count prunes them).
          opensApplied.incrementAndGet();
          active.set(live.toLong());
          return new IssuedSession(token, session);
        });
  }

  @Override
  public Future<Session> find(String token) {
    if (!SessionTokens.looksLikeToken(token)) {
      return Future.succeededFuture(null);
    }
    String id = SessionTokens.idOf(token);
    long now = System.currentTimeMillis();
    Local held = local.getIfPresent(id);
    if (held != null) {
      if (held.session().expiresAt() <= now || now - held.touchedAt() >= config.idleTimeout().toMillis()) {
        // This process has not seen it used lately, but others may have: ask Redis.
        return touch(id, now);
      }
      if (now - held.touchedAt() >= touchIntervalMillis) {
        local.put(id, new Local(held.session(), held.readAt(), now));
        touch(id, now).onFailure(e -> LOG.warn("session touch failed: {}", e.toString()));
      }
      return Future.succeededFuture(held.session());
    }
    return touch(id, now);
  }

  private Future<Session> touch(String id, long now) {
    return redis.eval(TOUCH, List.of(SESSION + id, LIVE), List.of(id, now, config.idleTimeout().toMillis()))
        .map(reply -> {
          if (reply == null) {
            local.invalidate(id);
            return null;
          }
          Session session = Session.fromJson(new JsonObject(reply.toString()));
          local.put(id, new Local(session, now, now));
          return session;
        });
  }

  @Override
  public Future<Void> revoke(String token) {
    if (!SessionTokens.looksLikeToken(token)) {
      return Future.succeededFuture();
    }
    String id = SessionTokens.idOf(token);
    local.invalidate(id);
    return redis.eval(REVOKE, List.of(SESSION + id, LIVE), List.of(id, USER))
        .compose(removed -> broadcaster.publish(Addresses.SESSION_REVOKED, id));
  }

  @Override
  public Future<Boolean> revokeId(String id) {
    if (!SessionTokens.looksLikeId(id)) {
      return Future.succeededFuture(false);
    }
    local.invalidate(id);
    return redis.eval(REVOKE, List.of(SESSION + id, LIVE), List.of(id, USER))
        .compose(removed -> broadcaster.publish(Addresses.SESSION_REVOKED, id).map(removed.toInteger() == 1));
  }

  @Override
  public Future<List<Session>> list(String userKey) {
    return redis.eval(LIST, List.of(USER + userKey), List.of(SESSION)).map(values -> {
      List<Session> sessions = new ArrayList<>();
      for (Response value : values) {
        sessions.add(Session.fromJson(new JsonObject(value.toString())));
      }
      sessions.sort(java.util.Comparator.comparingLong(Session::createdAt));
      return sessions;
    });
  }

  @Override
  public Future<Integer> revokeAll(String userKey) {
    return redis.eval(REVOKE_ALL, List.of(USER + userKey, LIVE), List.of(SESSION)).compose(ids -> {
      List<Future<Void>> broadcasts = new ArrayList<>();
      for (Response id : ids) {
        local.invalidate(id.toString());
        broadcasts.add(broadcaster.publish(Addresses.SESSION_REVOKED, id.toString()));
      }
      return Future.all(broadcasts).map(ids.size());
    });
  }

  private void count() {
    long opensBefore = opensApplied.get();
    redis.eval(COUNT, List.of(LIVE), List.of(System.currentTimeMillis()))
        .onSuccess(n -> {
          if (opensApplied.get() == opensBefore) {
            active.set(n.toLong());
          }
        })
        .onFailure(e -> LOG.debug("session count failed: {}", e.toString()));
  }

  @Override
  public long active() {
    return active.get();
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(countTimer);
    registry.remove(gauge);
    return Future.succeededFuture();
  }
}
