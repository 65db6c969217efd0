package io.authgate.core.audit;

import java.util.Locale;
import java.util.Optional;

/** Who made a change recorded in the audit log. */
public enum ActorType {
  /** An admin API client authenticated by an API key; the actor is the key's id. */
  API_KEY,
  /** A user in the admin group, signed in through the gateway; the actor is the username. */
  ADMIN_USER,
  /** Authgate itself (the scheduler, sync); the actor is {@code system}. */
  SYSTEM;

  /** @return the type as stored: {@code api_key}, {@code admin_user}, {@code system} */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the type with this id, or empty */
  public static Optional<ActorType> byId(String id) {
    for (ActorType type : values()) {
      if (type.id().equals(id)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
