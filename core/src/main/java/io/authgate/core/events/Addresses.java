package io.authgate.core.events;

/** Every event-bus address authgate uses, in one place. */
public final class Addresses {
  private Addresses() {}

  /** Body: a user key; every process drops its cached credentials for that user. */
  public static final String CREDENTIALS_INVALIDATED = "authgate.credentials.invalidated";
  /** Body: {@code <ban key>|<until epoch millis>}; every process refuses that client until then. */
  public static final String REGULATION_BANNED = "authgate.regulation.banned";
  /** Body: a session id; every process forgets that session at once. */
  public static final String SESSION_REVOKED = "authgate.session.revoked";
  /**
   * Body: JSON {@code {"d": directory, "u": username, "s": status}}; every process updates its view
   * of blocked accounts (io.authgate.core.lifecycle.BlockedAccounts).
   */
  public static final String ACCOUNT_STATE = "authgate.account.state";
  /**
   * Body: the id of a directory created, changed or deleted through the admin API; every gateway
   * reloads its API-managed directories from the store.
   */
  public static final String DIRECTORIES_CHANGED = "authgate.directories.changed";
  /** No body: the cross-process feed was interrupted; local caches that depend on it start over. */
  public static final String EVENTS_RESYNC = "authgate.events.resync";
  /**
   * Body: the slug of the identity provider changed (or {@code sp-keys} for the SP's keys); every
   * gateway reloads its identity providers and SP keys from configuration and the store.
   */
  public static final String IDPS_CHANGED = "authgate.idps.changed";
  /** No body, local to a process: jobs may be due; idle sync workers try to claim one. */
  public static final String JOBS_AVAILABLE = "authgate.jobs.available";
}
