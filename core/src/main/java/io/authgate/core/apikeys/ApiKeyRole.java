package io.authgate.core.apikeys;

import java.util.Locale;
import java.util.Optional;

/** What an API key may do in the admin API. */
public enum ApiKeyRole {
  /** Everything. */
  ADMIN,
  /** Users, their lifecycle and sessions; not directories, identity providers or keys. */
  OPERATOR,
  /** Read only. */
  AUDITOR;

  /** @return the role as stored and shown: {@code admin}, {@code operator}, {@code auditor} */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the role with this id, or empty */
  public static Optional<ApiKeyRole> byId(String id) {
    for (ApiKeyRole role : values()) {
      if (role.id().equals(id)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
