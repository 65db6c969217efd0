package io.authgate.gateway.saml;

import io.authgate.core.config.IdpConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IdPs the SP trusts, by configured id and by entity ID. Metadata is replaced whole when a
 * {@link MetadataSource} refreshes it. Thread-safe.
 */
public final class IdpRegistry {
  private final Map<String, Idp> byId = new ConcurrentHashMap<>();

  /**
   * Adds or replaces an IdP's metadata.
   *
   * @param config the IdP's settings
   * @param metadata its parsed metadata
   * @throws IllegalArgumentException when another IdP already has this entity ID
   */
  public void put(IdpConfig config, IdpMetadata metadata) {
    byId.values().stream()
        .filter(i -> !i.id().equals(config.id()) && i.metadata().entityId().equals(metadata.entityId()))
        .findFirst().ifPresent(i -> {
          throw new IllegalArgumentException("IdPs \"" + i.id() + "\" and \"" + config.id()
              + "\" have the same entity ID " + metadata.entityId());
        });
    byId.put(config.id(), new Idp(config, metadata));
  }

  /** @return the IdP with this configured id, if its metadata is loaded */
  public Optional<Idp> byId(String id) {
    return Optional.ofNullable(id).map(byId::get);
  }

  /** @return the IdP with this entity ID (an Issuer), if any */
  public Optional<Idp> byEntityId(String entityId) {
    if (entityId == null) {
      return Optional.empty();
    }
    return byId.values().stream().filter(i -> i.metadata().entityId().equals(entityId)).findFirst();
  }

  /** @return the IdPs whose metadata is loaded, in no particular order */
  public List<Idp> all() {
    return List.copyOf(byId.values());
  }
}
