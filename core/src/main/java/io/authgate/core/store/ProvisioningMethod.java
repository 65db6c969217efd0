package io.authgate.core.store;

import java.util.Locale;

/** How an account came to exist (column {@code users.provisioning_method}). */
public enum ProvisioningMethod {
  /** Created by an administrator. */
  MANUAL,
  /** Read from an LDAP directory by sync. */
  LDAP_SYNC,
  /** Created at its first SAML sign-in (just in time). */
  SSO_JIT,
  /** Bulk import. */
  IMPORT,
  /** Pushed by a SCIM client. */
  SCIM;

  /** @return the value stored in the database */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param id a stored value
   * @return the method it names
   * @throws IllegalArgumentException when it names none
   */
  public static ProvisioningMethod of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
