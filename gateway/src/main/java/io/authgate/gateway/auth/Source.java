package io.authgate.gateway.auth;

/** Where a successful answer came from. */
public enum Source {
  /** A bind against the directory just now. */
  LDAP("ldap"),
  /** A fresh cache entry whose verifier matched. */
  CACHE("cache"),
  /** A stale cache entry, used because the directory could not answer. */
  STALE_CACHE("stale-cache");

  private final String label;

  Source(String label) {
    this.label = label;
  }

  /** @return the value in responses and metric labels */
  public String label() {
    return label;
  }
}
