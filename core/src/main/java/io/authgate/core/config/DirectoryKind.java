package io.authgate.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kind of directory server, which sets sensible defaults and vendor behaviour. */
public enum DirectoryKind {
  /** OpenLDAP, 389 Directory Server and other RFC 4519 directories. */
  OPENLDAP("openldap"),
  /** Microsoft Active Directory: sAMAccountName/UPN logins, bind diagnostics, nested groups. */
  ACTIVE_DIRECTORY("active-directory");

  private final String id;

  DirectoryKind(String id) {
    this.id = id;
  }

  /** @return the name used in configuration */
  public String id() {
    return id;
  }

  /** @return the kind with that configuration name, ignoring case */
  public static Optional<DirectoryKind> byId(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(k -> k.id.equals(wanted)).findFirst();
  }
}
