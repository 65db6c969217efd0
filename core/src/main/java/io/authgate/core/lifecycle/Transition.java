package io.authgate.core.lifecycle;

import io.authgate.core.store.AccountStatus;
import io.authgate.core.store.UserQueries.Details;
import io.vertx.core.json.JsonObject;
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

  /** @return the audit trail's action for a move to {@link #to()}, such as {@code user.lifecycle.suspended} */
  public String action() {
    return switch (to()) {
      case ACTIVE -> "user.lifecycle.activated";
      case SUSPENDED -> "user.lifecycle.suspended";
      case DEPROVISIONED -> "user.lifecycle.deprovisioned";
      case PENDING -> "user.lifecycle.pending";
    };
  }

  /** @return the state before, as the audit trail records it: the status, never personal data */
  public JsonObject oldState() {
    return new JsonObject().put("status", from().id());
  }

  /** @return the state after, as the audit trail records it: the status and the planned dates */
  public JsonObject newState() {
    JsonObject state = new JsonObject().put("status", to().id());
    if (deprovisionAt != null) {
      state.put("deprovisionAt", deprovisionAt.toString());
    }
    if (anonymiseAt != null) {
      state.put("anonymiseAt", anonymiseAt.toString());
    }
    return state;
  }
}
