package io.authgate.core.regulation;

/** What regulation says before the directory is asked. */
public enum Verdict {
  /** Go ahead and ask the directory; nothing to reset on success. */
  ALLOW,
  /** Go ahead; recent failures are on record, so a success should reset them. */
  ALLOW_AFTER_FAILURES,
  /** The user, or the user from this address, is banned: refuse without asking. */
  BANNED,
  /** This exact wrong password was refused within the window: refuse without asking again. */
  REPEATED_FAILURE;

  /** @return whether the directory may be asked */
  public boolean allows() {
    return this == ALLOW || this == ALLOW_AFTER_FAILURES;
  }

  /**
   * @param other the verdict of another record of the same client
   * @return what the two records say together: a ban first, then a repeated failure, then failures on record
   */
  public Verdict and(Verdict other) {
    return weight() >= other.weight() ? this : other;
  }

  private int weight() {
    return switch (this) {
      case ALLOW -> 0;
      case ALLOW_AFTER_FAILURES -> 1;
      case REPEATED_FAILURE -> 2;
      case BANNED -> 3;
    };
  }
}
