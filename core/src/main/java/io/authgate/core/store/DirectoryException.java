package io.authgate.core.store;

/**
 * A directory change the store refuses, for a reason the admin API maps to its answer. The message
 * names no secret.
 */
public final class DirectoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a directory change was refused. */
  public enum Reason {
    /** Another directory already has the name. */
    NAME_TAKEN,
    /** Accounts still belong to the directory. */
    IN_USE
  }

  private final Reason reason;

  /**
   * @param reason why
   * @param message what happened, for the caller
   */
  public DirectoryException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** @return why the change was refused */
  public Reason reason() {
    return reason;
  }
}
