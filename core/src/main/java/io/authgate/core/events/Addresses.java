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
  /** No body: the cross-process feed was interrupted; local caches that depend on it start over. */
  public static final String EVENTS_RESYNC = "authgate.events.resync";
  /** No body, local to a process: jobs may be due; idle sync workers try to claim one. */
  public static final String JOBS_AVAILABLE = "authgate.jobs.available";
}
