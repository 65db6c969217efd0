package io.authgate.gateway.saml;

import io.authgate.core.config.IdpConfig;

/**
 * One trusted identity provider: its configuration and its current metadata. Immutable.
 *
 * @param config the IdP's settings
 * @param metadata what its metadata says (entity ID, keys, endpoints)
 */
public record Idp(IdpConfig config, IdpMetadata metadata) {
  /** @return the configured id, used in URLs and metric labels */
  public String id() {
    return config.id();
  }
}
