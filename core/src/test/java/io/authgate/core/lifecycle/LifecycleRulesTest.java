package io.authgate.core.lifecycle;

import static io.authgate.core.store.AccountStatus.ACTIVE;
import static io.authgate.core.store.AccountStatus.DEPROVISIONED;
import static io.authgate.core.store.AccountStatus.PENDING;
import static io.authgate.core.store.AccountStatus.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.store.AccountStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LifecycleRulesTest {
  @Test
  void exactlyTheFiveTransitionsOfTheLifecycleAreAllowed() {
    Set<List<AccountStatus>> allowed = new HashSet<>();
    for (AccountStatus from : AccountStatus.values()) {
      for (AccountStatus to : AccountStatus.values()) {
        if (LifecycleRules.allowed(from, to)) {
          allowed.add(List.of(from, to));
        }
      }
    }
    assertThat(allowed).containsExactlyInAnyOrder(List.of(PENDING, ACTIVE), List.of(ACTIVE, SUSPENDED),
        List.of(SUSPENDED, DEPROVISIONED), List.of(PENDING, DEPROVISIONED), List.of(SUSPENDED, ACTIVE));
  }

  @Test
  void aRefusalSaysWhereFromAndWhereTo() {
    assertThatThrownBy(() -> LifecycleRules.check(DEPROVISIONED, ACTIVE)).isInstanceOf(TransitionException.class)
        .hasMessage("Invalid transition from deprovisioned to active");
    assertThatThrownBy(() -> LifecycleRules.check(ACTIVE, ACTIVE)).hasMessage("The account is already active");
  }

  @Test
  void onlySuspendedAndDeprovisionedAccountsAreBlocked() {
    assertThat(List.of(AccountStatus.values())).filteredOn(LifecycleRules::blocks)
        .containsExactlyInAnyOrder(SUSPENDED, DEPROVISIONED);
  }
}
