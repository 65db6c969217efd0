package io.authgate.admin;

import io.authgate.admin.api.AdminRole;
import io.authgate.admin.api.ApiKeyAuthenticator;
import io.authgate.admin.api.Caller;
import io.authgate.core.apikeys.ApiKeys;
import io.vertx.sqlclient.Pool;

/** The admin API's keys as the store keeps them ({@link ApiKeys}). */
final class StoredApiKeys {

  private StoredApiKeys() {
  }

  /** @return an authenticator over the store's API keys: unknown, revoked and expired keys find no caller */
  static ApiKeyAuthenticator authenticator(Pool pool) {
    ApiKeys keys = new ApiKeys(pool);
    return presented -> keys.authenticate(presented).map(key -> key == null ? null
        : Caller.apiKey(key.id().toString(), key.name(), AdminRole.valueOf(key.role().name())));
  }
}
