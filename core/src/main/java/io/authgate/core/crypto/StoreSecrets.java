package io.authgate.core.crypto;

import io.authgate.core.config.AuthgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * The process's {@link SecretBox} for the secrets kept in the store (directory bind passwords, the
 * SAML SP's private keys), as {@link MasterKeys#forConfig} gives it: found once, on a worker thread
 * (it may read or create the key file), when a role first asks, and shared by every role after.
 * Thread-safe.
 */
public final class StoreSecrets {
  private final Vertx vertx;
  private final AuthgateConfig config;
  private Future<Optional<SecretBox>> box;

  /**
   * @param vertx runs the file I/O off the event loops
   * @param config where the master key comes from
   */
  public StoreSecrets(Vertx vertx, AuthgateConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** @return the box, or empty when a store's secrets can be neither sealed nor opened (no master key) */
  public synchronized Future<Optional<SecretBox>> box() {
    if (box == null) {
      box = vertx.executeBlocking(() -> MasterKeys.forConfig(config));
    }
    return box;
  }
}
