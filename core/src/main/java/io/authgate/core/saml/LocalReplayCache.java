package io.authgate.core.saml;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;

/**
 * Used assertions in this process only, for a single gateway without Redis. Unbounded in size, so
 * a replay cannot be made to pass by filling it (see {@link ReplayCache}). Thread-safe.
 */
public final class LocalReplayCache implements ReplayCache {
  private final Cache<String, Instant> used;
  private final Duration margin;

  /** @param margin how long past an assertion's expiry its ID is still remembered */
  public LocalReplayCache(Duration margin) {
    this.used = Caffeine.newBuilder()
        .executor(Runnable::run)
        .expireAfter(Expiry.creating((String id, Instant forgetAt) -> Duration.between(Instant.now(), forgetAt)))
        .build();
    this.margin = margin;
  }

  @Override
  public Future<Boolean> firstUse(String assertionId, Instant expiresAt) {
    if (!SamlStores.acceptable(assertionId)) {
      return Future.succeededFuture(false);
    }
    Instant forgetAt = expiresAt.plus(margin);
    Instant now = Instant.now();
    if (!forgetAt.isAfter(now)) {
      forgetAt = now.plusMillis(1);
    }
    return Future.succeededFuture(used.asMap().putIfAbsent(assertionId, forgetAt) == null);
  }
}
