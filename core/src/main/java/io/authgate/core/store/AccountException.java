package io.authgate.core.store;

/**
 * An account operation the store refuses, for a reason the caller maps to its answer (a sign-in
 * refused, a conflict in the admin API). The message names no secret.
 */
public final class AccountException extends RuntimeException {
  /** Why an account operation was refused. */
  public enum Reason {
    /** More than one account has the email: the store does not guess which is meant. */
    AMBIGUOUS_EMAIL,
    /** Another account already has the username. */
    USERNAME_TAKEN,
    /** Another account already has the SAML subject (IdP entity ID and NameID). */
    SUBJECT_TAKEN,
    /** The account is already linked to a different SAML subject. */
    ALREADY_LINKED,
    /** No account has the id. */
    NOT_FOUND
  }

  private final Reason reason;

  /**
   * @param reason why
   * @param message what happened, for logs
   */
  public AccountException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** @return why the operation was refused */
  public Reason reason() {
    return reason;
  }
}
