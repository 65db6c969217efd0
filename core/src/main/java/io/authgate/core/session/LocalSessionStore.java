package io.authgate.core.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.authgate.core.config.SessionConfig;
import io.authgate.core.identity.Principal;
import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions in this process only, for a single gateway without Redis. Each read restarts the idle
 * timeout, never past the absolute one. Thread-safe.
 */
public final class LocalSessionStore implements SessionStore {
  private final SessionConfig config;
  private final Cache<String, Session> sessions;
  private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Gauge gauge;

  /**
   * @param config timeouts
   * @param registry where {@code authgate_sessions_active} goes
   */
  public LocalSessionStore(SessionConfig config, MeterRegistry registry) {
    this.config = config;
    long idle = config.idleTimeout().toNanos();
    this.sessions = Caffeine.newBuilder()
        .executor(Runnable::run)
        .expireAfter(new Expiry<String, Session>() {
          @Override
          public long expireAfterCreate(String id, Session session, long now) {
            return remaining(session, idle);
          }

          @Override
          public long expireAfterUpdate(String id, Session session, long now, long current) {
            return remaining(session, idle);
          }

          @Override
          public long expireAfterRead(String id, Session session, long now, long current) {
            return remaining(session, idle);
          }
        })
        .removalListener((String id, Session session, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
          if (session != null) {
            byUser.computeIfPresent(session.userKey(), (user, ids) -> {
              ids.remove(id);
              return ids.isEmpty() ? null : ids;
            });
          }
        })
        .build();
    this.registry = registry;
    this.gauge = Gauge.builder(MetricNames.SESSIONS_ACTIVE, this, LocalSessionStore::active)
        .description("Live sessions").register(registry);
  }

  private static long remaining(Session session, long idleNanos) {
    long absolute = (session.expiresAt() - System.currentTimeMillis()) * 1_000_000L;
    return Math.max(0, Math.min(idleNanos, absolute));
  }

  @Override
  public Future<IssuedSession> open(String userKey, Principal principal, List<String> roles) {
    String token = SessionTokens.newToken();
    long now = System.currentTimeMillis();
    Session session = new Session(SessionTokens.idOf(token), userKey, principal, roles, now,
        now + config.absoluteTimeout().toMillis());
    byUser.computeIfAbsent(userKey, u -> ConcurrentHashMap.newKeySet()).add(session.id());
    sessions.put(session.id(), session);
    return Future.succeededFuture(new IssuedSession(token, session));
  }

  @Override
  public Future<Session> find(String token) {
    if (!SessionTokens.looksLikeToken(token)) {
      return Future.succeededFuture(null);
    }
    Session session = sessions.getIfPresent(SessionTokens.idOf(token));
    return Future.succeededFuture(session != null && session.expiresAt() > System.currentTimeMillis() ? session : null);
  }

  @Override
  public Future<Void> revoke(String token) {
    if (SessionTokens.looksLikeToken(token)) {
      sessions.invalidate(SessionTokens.idOf(token));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Integer> revokeAll(String userKey) {
    Set<String> ids = byUser.remove(userKey);
    if (ids == null) {
      return Future.succeededFuture(0);
    }
    int count = ids.size();
    sessions.invalidateAll(ids);
    return Future.succeededFuture(count);
  }

  @Override
  public Future<List<Session>> list(String userKey) {
    Set<String> ids = byUser.getOrDefault(userKey, Set.of());
    long now = System.currentTimeMillis();
    return Future.succeededFuture(sessions.getAllPresent(ids).values().stream()
        .filter(session -> session.expiresAt() > now)
        .sorted(java.util.Comparator.comparingLong(Session::createdAt)).toList());
  }

  @Override
  public Future<Boolean> revokeId(String id) {
    boolean live = id != null && sessions.asMap().remove(id) != null;
    return Future.succeededFuture(live);
  }

  @Override
  public long active() {
    sessions.cleanUp();
    return sessions.estimatedSize();
  }

  @Override
  public Future<Void> close() {
    registry.remove(gauge);
    return Future.succeededFuture();
  }
}
