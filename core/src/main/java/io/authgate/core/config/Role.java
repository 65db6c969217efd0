package io.authgate.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The roles one authgate process can play; {@code java -jar authgate.jar} plays all three. */
public enum Role {
  /** The edge: {@code /v1/auth}, {@code /v1/verify}, the login page, SAML. */
  GATEWAY("gateway"),
  /** Worker verticles: sync, provisioning, import/export, lifecycle jobs. */
  SYNC_WORKER("sync-worker"),
  /** The admin REST API on its own port. */
  ADMIN_API("admin-api");

  private final String id;

  Role(String id) {
    this.id = id;
  }

  /** @return the name used in configuration, such as {@code sync-worker} */
  public String id() {
    return id;
  }

  /** @return the role with that configuration name, ignoring case */
  public static Optional<Role> byId(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.id.equals(wanted)).findFirst();
  }
}
