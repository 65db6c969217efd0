package io.authgate.core.directory;

/**
 * Why credentials were refused. Outside, every reason is the same generic 401; the precise reason
 * goes to logs and the {@code reason} label of metrics, a small fixed set.
 */
public enum RejectReason {
  /** No entry matched the login name. */
  NO_SUCH_USER("no_such_user", false),
  /** More than one entry matched: a directory or filter problem, never guessed. */
  AMBIGUOUS_USER("ambiguous_user", false),
  /** The directory refused the password. */
  WRONG_PASSWORD("wrong_password", false),
  /** The account is disabled. */
  ACCOUNT_DISABLED("account_disabled", true),
  /** The account is locked out. */
  ACCOUNT_LOCKED("account_locked", true),
  /** The account has expired. */
  ACCOUNT_EXPIRED("account_expired", true),
  /** The password has expired. */
  PASSWORD_EXPIRED("password_expired", true),
  /** The password must be changed before use. */
  PASSWORD_MUST_CHANGE("password_must_change", true),
  /** Logon is not allowed at this time. */
  LOGON_HOURS("logon_hours", true),
  /** Logon is not allowed from this workstation. */
  WORKSTATION("workstation", true),
  /** The directory accepted the password, but the store has suspended or deprovisioned the account. */
  ACCOUNT_SUSPENDED("account_suspended", true),
  /** The client is banned by regulation after too many failures. */
  BANNED("banned", false),
  /** The same wrong password was already refused within the regulation window. */
  REPEATED_FAILURE("repeated_failure", false);

  private final String label;
  private final boolean accountState;

  RejectReason(String label, boolean accountState) {
    this.label = label;
    this.accountState = accountState;
  }

  /** @return the metric label and log value */
  public String label() {
    return label;
  }

  /**
   * @return whether the account's state was refused rather than the credentials: the password
   *     may be right (Active Directory checks it before it sends most of these sub-codes; a lock
   *     refuses every password), and the state may end, by itself (a lock runs out, logon hours
   *     come) or by an administrator's hand
   */
  public boolean accountState() {
    return accountState;
  }
}
