package io.authgate.core.config;

import java.util.Base64;
import java.util.Optional;

/**
 * Secrets at rest in the store. Immutable.
 *
 * @param masterKey the AES-256 master key that seals secrets in the store (base64 of 32 bytes); empty
 *     means the key generated in the embedded default's data directory ({@code master.key})
 */
public record StoreConfig(Optional<Secret> masterKey) {
  /** Bytes in a master key. */
  static final int MASTER_KEY_BYTES = 32;

  static StoreConfig read(ConfigNode n) {
    Optional<Secret> masterKey = n.secret("masterKey");
    masterKey.ifPresent(key -> {
      if (!isMasterKey(key.reveal())) {
        throw n.problem("masterKey", "must be the base64 of " + MASTER_KEY_BYTES + " bytes (openssl rand -base64 32)");
      }
    });
    StoreConfig config = new StoreConfig(masterKey);
    n.rejectUnknownKeys();
    return config;
  }

  private static boolean isMasterKey(String text) {
    try {
      return Base64.getDecoder().decode(text.strip()).length == MASTER_KEY_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
