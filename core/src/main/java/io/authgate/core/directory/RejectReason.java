package io.authgate.core.directory;

/**
 * Why credentials were refused. Outside, every reason is the same generic 401; the precise reason
 * goes to logs and the {@code reason} label of metrics, a small fixed set.
 */
public enum RejectReason {
  /** No entry matched the login name. */
  NO_SUCH_USER("no_such_user"),
  /** More than one entry matched: a directory or filter problem, never guessed. */
  AMBIGUOUS_USER("ambiguous_user"),
  /** The directory refused the password. */
  WRONG_PASSWORD("wrong_password"),
  /** The account is disabled. */
  ACCOUNT_DISABLED("account_disabled"),
  /** The account is locked out. */
  ACCOUNT_LOCKED("account_locked"),
  /** The account has expired. */
  ACCOUNT_EXPIRED("account_expired"),
  /** The password has expired. */
  PASSWORD_EXPIRED("password_expired"),
  /** The password must be changed before use. */
  PASSWORD_MUST_CHANGE("password_must_change"),
  /** Logon is not allowed at this time. */
  LOGON_HOURS("logon_hours"),
  /** Logon is not allowed from this workstation. */
  WORKSTATION("workstation"),
  /** The directory accepted the password, but the store has suspended or deprovisioned the account. */
  ACCOUNT_SUSPENDED("account_suspended"),
  /** The client is banned by regulation after too many failures. */
  BANNED("banned"),
  /** The same wrong password was already refused within the regulation window. */
  REPEATED_FAILURE("repeated_failure");

  private final String label;

  RejectReason(String label) {
    this.label = label;
  }

  /** @return the metric label and log value */
  public String label() {
    return label;
  }
}
