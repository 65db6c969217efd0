package io.authgate.core.regulation;

/** What regulation says before the directory is asked. */
public enum Verdict {
  /** Go ahead and ask the directory. */
  ALLOW,
  /** The user, or the user from this address, is banned: refuse without asking. */
  BANNED,
  /** This exact wrong password was refused within the window: refuse without asking again. */
  REPEATED_FAILURE
}
