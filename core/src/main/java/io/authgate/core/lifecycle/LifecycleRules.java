package io.authgate.core.lifecycle;

import io.authgate.core.store.AccountStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which status transitions are allowed: Pending → Active → Suspended → Deprovisioned, Pending →
 * Deprovisioned and Suspended → Active. Everything else, including a transition to the status an
 * account already has, is refused.
 */
public final class LifecycleRules {
  private static final Map<AccountStatus, Set<AccountStatus>> ALLOWED = Map.of(
      AccountStatus.PENDING, EnumSet.of(AccountStatus.ACTIVE, AccountStatus.DEPROVISIONED),
      AccountStatus.ACTIVE, EnumSet.of(AccountStatus.SUSPENDED),
      AccountStatus.SUSPENDED, EnumSet.of(AccountStatus.ACTIVE, AccountStatus.DEPROVISIONED),
      AccountStatus.DEPROVISIONED, EnumSet.noneOf(AccountStatus.class));

  private LifecycleRules() {
  }

  /** @return whether an account may go from one status to the other */
  public static boolean allowed(AccountStatus from, AccountStatus to) {
    return ALLOWED.get(from).contains(to);
  }

  /**
   * @throws TransitionException when the transition is not allowed
   */
  public static void check(AccountStatus from, AccountStatus to) {
    if (!allowed(from, to)) {
      throw new TransitionException(from, to);
    }
  }

  /** @return whether the gateways refuse an account in this status even when its directory accepts it */
  public static boolean blocks(AccountStatus status) {
    return status == AccountStatus.SUSPENDED || status == AccountStatus.DEPROVISIONED;
  }
}
