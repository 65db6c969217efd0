package io.authgate.core.saml;

import io.authgate.core.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Instant;

/**
 * Pending requests in Redis, shared by every gateway: a request sent by one process can be
 * answered at another. Each is a JSON value under {@link SamlStores#REQUEST_KEY_PREFIX} whose
 * Redis expiry is the request's; a take is one {@code GETDEL}, so exactly one taker gets it.
 * Needs Redis 6.2 or later. Thread-safe.
 */
public final class RedisPendingRequests implements PendingRequests {
  private final RedisCommands redis;

  /** @param redis the shared store */
  public RedisPendingRequests(RedisCommands redis) {
    this.redis = redis;
  }

  @Override
  public Future<Void> put(String requestId, PendingRequest request) {
    if (!SamlStores.acceptable(requestId)) {
      return Future.failedFuture(new IllegalArgumentException("unacceptable request ID"));
    }
    long ttl = request.expiresAt().toEpochMilli() - System.currentTimeMillis();
    if (ttl <= 0) {
      return Future.succeededFuture();
    }
    Request set = Request.cmd(Command.SET).arg(SamlStores.REQUEST_KEY_PREFIX + requestId)
        .arg(request.toJson().encode()).arg("PX").arg(ttl).arg("NX");
    return redis.send(set).compose(reply -> reply == null
        ? Future.failedFuture(new IllegalArgumentException("a request with this ID is already pending"))
        : Future.succeededFuture());
  }

  @Override
  public Future<PendingRequest> take(String requestId) {
    if (!SamlStores.acceptable(requestId)) {
      return Future.succeededFuture();
    }
    return redis.send(Request.cmd(Command.GETDEL).arg(SamlStores.REQUEST_KEY_PREFIX + requestId)).map(reply -> {
      if (reply == null) {
        return null;
      }
      PendingRequest request = PendingRequest.fromJson(new JsonObject(reply.toString()));
      return request.expiredAt(Instant.now()) ? null : request;
    });
  }
}
