package io.authgate.admin.api;

import io.vertx.core.Future;

/** Finds who presents an API key. Implementations are thread-safe. */
@FunctionalInterface
public interface ApiKeyAuthenticator {
  /**
   * @param presented the key as sent; never null
   * @return its holder, or null when the key is unknown, revoked or expired
   */
  Future<Caller> authenticate(String presented);
}
