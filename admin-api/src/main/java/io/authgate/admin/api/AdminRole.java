package io.authgate.admin.api;

import io.vertx.core.http.HttpMethod;

/** What an API key's holder may do through the admin API. */
public enum AdminRole {
  /** Reads only (GET). */
  AUDITOR,
  /** Reads, and changes users, their lifecycle and sessions. */
  OPERATOR,
  /** Everything. */
  ADMIN;

  /**
   * @param method the request's method
   * @return whether this role may send it to the endpoints of this pass (users, sessions, stats)
   */
  public boolean mayUse(HttpMethod method) {
    return this != AUDITOR || method == HttpMethod.GET || method == HttpMethod.HEAD;
  }

  /**
   * @return whether this role may change configuration (directories, identity providers, the SAML
   *     SP's keys, API keys): admin only
   */
  public boolean mayConfigure() {
    return this == ADMIN;
  }
}
