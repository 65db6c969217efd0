package io.authgate.core.lifecycle;

import io.authgate.core.store.AccountStatus;

/** A lifecycle transition the rules refuse ({@link LifecycleRules}); the message says which. */
public final class TransitionException extends RuntimeException {
  private final AccountStatus from;
  private final AccountStatus to;

  /**
   * @param from the account's status
   * @param to the status asked for
   */
  public TransitionException(AccountStatus from, AccountStatus to) {
    super(from == to ? "The account is already " + from.id()
        : "Invalid transition from " + from.id() + " to " + to.id(), null, false, false);
    this.from = from;
    this.to = to;
  }

  /** @return the account's status */
  public AccountStatus from() {
    return from;
  }

  /** @return the status asked for */
  public AccountStatus to() {
    return to;
  }
}
