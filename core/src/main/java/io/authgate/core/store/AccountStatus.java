package io.authgate.core.store;

import java.util.Locale;

/**
 * Where an account is in its lifecycle (column {@code users.status}). Only an active account may
 * sign in; the lifecycle rules (which transitions are allowed) live with the lifecycle jobs.
 */
public enum AccountStatus {
  /** Created, not yet allowed to sign in. */
  PENDING,
  /** May sign in. */
  ACTIVE,
  /** Temporarily refused; may become active again. */
  SUSPENDED,
  /** Gone for good; anonymised later. */
  DEPROVISIONED;

  /** @return the value stored in the database */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return whether an account in this status may sign in */
  public boolean allowsSignIn() {
    return this == ACTIVE;
  }

  /**
   * @param id a stored value
   * @return the status it names
   * @throws IllegalArgumentException when it names none
   */
  public static AccountStatus of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
