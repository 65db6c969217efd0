package io.authgate.admin;

import io.authgate.admin.api.ApiKeyAuthenticator;
import io.authgate.core.runtime.Platform;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API's keys as the store keeps them. */
final class StoredApiKeys {
  private static final Logger LOG = LoggerFactory.getLogger(StoredApiKeys.class);

  private StoredApiKeys() {
  }

  /** @return an authenticator over the store's API keys; until they exist, one that refuses every key */
  static ApiKeyAuthenticator authenticator(Platform platform) {
    LOG.atWarn().addKeyValue("event", "admin.keys.missing").log("API keys are not available yet: every key is refused");
    return presented -> Future.succeededFuture();
  }
}
