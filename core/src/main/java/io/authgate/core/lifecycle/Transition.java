package io.authgate.core.lifecycle;

import io.authgate.core.store.AccountStatus;
import io.authgate.core.store.UserQueries.Details;
import java.time.Instant;
import java.util.Objects;

/**
 * A lifecycle change made to an account: the account before and after. Immutable.
 *
 * @param before the account before the change
 * @param after the account after it
 * @param deprovisionAt when it is to be deprovisioned, after the change; may be null
 * @param anonymiseAt when its personal data is to be erased, after the change; may be null
 */
public record Transition(Details before, Details after, Instant deprovisionAt, Instant anonymiseAt) {
  /** Checks both states are there. */
  public Transition {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }

  /** @return the status the account left */
  public AccountStatus from() {
    return before.status();
  }

  /** @return the status the account has now */
  public AccountStatus to() {
    return after.status();
  }
}
