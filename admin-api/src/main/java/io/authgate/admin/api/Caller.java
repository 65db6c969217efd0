package io.authgate.admin.api;

import io.authgate.core.audit.ActorType;
import java.util.Objects;

/**
 * Who sent an admin request: the holder of an API key, or an admin user signed in at the gateway.
 * Immutable.
 *
 * @param actor how the audit trail names the caller: the API key's id, or the admin's username
 * @param name the key's name, or the admin's display name
 * @param role what it may do
 * @param type what kind of actor it is ({@link ActorType#API_KEY} or {@link ActorType#ADMIN_USER})
 */
public record Caller(String actor, String name, AdminRole role, ActorType type) {
  /** Checks the fields. */
  public Caller {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(type, "type");
  }

  /** @return the holder of the API key with this id */
  public static Caller apiKey(String keyId, String name, AdminRole role) {
    return new Caller(keyId, name, role, ActorType.API_KEY);
  }
}
