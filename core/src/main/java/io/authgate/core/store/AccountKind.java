package io.authgate.core.store;

import java.util.Locale;

/** What kind of account a row is (column {@code users.account_kind}). */
public enum AccountKind {
  /** A person's ordinary account. */
  NATIVE,
  /** Someone from outside the organisation. */
  GUEST,
  /** An administrator's separate, privileged account. */
  PRIVILEGED,
  /** A non-person account used by software. */
  SERVICE;

  /** @return the value stored in the database */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param id a stored value
   * @return the kind it names
   * @throws IllegalArgumentException when it names none
   */
  public static AccountKind of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
