package io.authgate.core.saml;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;

/**
 * Pending requests in this process only, for a single gateway without Redis. Holds at most
 * {@code maximumSize} requests; past that, some are dropped early (their sign-in must start
 * again). Thread-safe.
 */
public final class LocalPendingRequests implements PendingRequests {
  /** How many pending requests are held by default. */
  public static final long DEFAULT_MAXIMUM_SIZE = 100_000;

  private final Cache<String, PendingRequest> requests;

  /** Holds at most {@link #DEFAULT_MAXIMUM_SIZE} requests. */
  public LocalPendingRequests() {
    this(DEFAULT_MAXIMUM_SIZE);
  }

  /** @param maximumSize how many requests it holds at most */
  public LocalPendingRequests(long maximumSize) {
    this.requests = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .executor(Runnable::run)
        .expireAfter(Expiry.creating((String id, PendingRequest request) ->
            Duration.between(Instant.now(), request.expiresAt())))
        .build();
  }

  @Override
  public Future<Void> put(String requestId, PendingRequest request) {
    if (!SamlStores.acceptable(requestId)) {
      return Future.failedFuture(new IllegalArgumentException("unacceptable request ID"));
    }
    if (request.expiredAt(Instant.now())) {
      return Future.succeededFuture();
    }
    if (requests.asMap().putIfAbsent(requestId, request) != null) {
      return Future.failedFuture(new IllegalArgumentException("a request with this ID is already pending"));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<PendingRequest> take(String requestId) {
    if (!SamlStores.acceptable(requestId)) {
      return Future.succeededFuture();
    }
    PendingRequest request = requests.asMap().remove(requestId);
    return Future.succeededFuture(request == null || request.expiredAt(Instant.now()) ? null : request);
  }
}
