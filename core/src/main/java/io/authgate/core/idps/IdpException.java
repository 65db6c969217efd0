package io.authgate.core.idps;

/** A change to an identity provider the store refuses; the caller maps the reason to its answer. */
public final class IdpException extends RuntimeException {
  /** Why the change was refused. */
  public enum Reason {
    /** Another identity provider has the slug. */
    SLUG_TAKEN,
    /** Another identity provider has the entity ID. */
    ENTITY_ID_TAKEN
  }

  private final Reason reason;

  /**
   * @param reason why
   * @param message what happened, fit to show an administrator
   */
  public IdpException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** @return why the change was refused */
  public Reason reason() {
    return reason;
  }
}
