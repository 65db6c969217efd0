package io.authgate.core.saml;

import io.authgate.core.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;

/**
 * Used assertions in Redis, shared by every gateway, so an assertion used at one process is
 * refused at all the others: one {@code SET NX PX} under {@link SamlStores#ASSERTION_KEY_PREFIX}
 * per use. Thread-safe.
 */
public final class RedisReplayCache implements ReplayCache {
  private final RedisCommands redis;
  private final Duration margin;

  /**
   * @param redis the shared store
   * @param margin how long past an assertion's expiry its ID is still remembered
   */
  public RedisReplayCache(RedisCommands redis, Duration margin) {
    this.redis = redis;
    this.margin = margin;
  }

  @Override
  public Future<Boolean> firstUse(String assertionId, Instant expiresAt) {
    if (!SamlStores.acceptable(assertionId)) {
      return Future.succeededFuture(false);
    }
    long ttl = Math.max(1, expiresAt.plus(margin).toEpochMilli() - System.currentTimeMillis());
    Request set = Request.cmd(Command.SET).arg(SamlStores.ASSERTION_KEY_PREFIX + assertionId).arg("1")
        .arg("PX").arg(ttl).arg("NX");
    return redis.send(set).map(reply -> reply != null);
  }
}
