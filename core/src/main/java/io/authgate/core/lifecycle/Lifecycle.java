package io.authgate.core.lifecycle;

import io.authgate.core.store.AccountStatus;
import io.authgate.core.store.UserQueries;
import io.authgate.core.store.UserQueries.Details;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Lifecycle changes in the store: each runs in the caller's transaction, with the account's row
 * locked, so two changes of one account never interleave and the caller can record the change in
 * the audit log before it commits. The side effects outside the store run after the commit
 * ({@link LifecycleEffects}). Thread-safe.
 */
public final class Lifecycle {
  private static final String LOCK = """
      SELECT u.status, u.deprovision_at, u.anonymise_at FROM users u JOIN resources r ON r.id = u.resource_id
      WHERE u.resource_id = $1 AND NOT r.deleted FOR UPDATE OF u""";
  private static final String SET = """
      UPDATE users SET status = $2, deprovision_at = $3, anonymise_at = $4 WHERE resource_id = $1""";

  private final UserQueries users;
  private final Duration deprovisionAfter;
  private final Duration anonymiseAfter;

  /**
   * @param users reads the accounts
   * @param deprovisionAfter how long an offboarded account stays suspended
   * @param anonymiseAfter how long after offboarding (or deprovisioning) personal data is erased
   */
  public Lifecycle(UserQueries users, Duration deprovisionAfter, Duration anonymiseAfter) {
    this.users = users;
    this.deprovisionAfter = deprovisionAfter;
    this.anonymiseAfter = anonymiseAfter;
  }

  /**
   * Moves an account to a status. Reactivating cancels a planned offboarding; deprovisioning plans
   * the erasure of personal data (unless an offboarding planned it already).
   *
   * @param connection a connection with a transaction begun
   * @return the change, or null when no account has the id
   * @throws TransitionException (as the failure) when the rules refuse the transition
   */
  public Future<Transition> transition(SqlConnection connection, UUID id, AccountStatus to) {
    return lock(connection, id).compose(row -> {
      if (row == null) {
        return Future.succeededFuture(null);
      }
      AccountStatus from = AccountStatus.of(row.getString("status"));
      LifecycleRules.check(from, to);
      Instant now = Instant.now();
      Instant deprovisionAt = instant(row.getOffsetDateTime("deprovision_at"));
      Instant anonymiseAt = instant(row.getOffsetDateTime("anonymise_at"));
      switch (to) {
        case ACTIVE -> {
          deprovisionAt = null;
          anonymiseAt = null;
        }
        case DEPROVISIONED -> {
          deprovisionAt = now;
          anonymiseAt = anonymiseAt != null ? anonymiseAt : now.plus(anonymiseAfter.minus(deprovisionAfter));
        }
        default -> {
        }
      }
      return set(connection, id, to, deprovisionAt, anonymiseAt);
    });
  }

  /**
   * Offboards an account: suspends it now (unless it is suspended already), plans its
   * deprovisioning and the erasure of its personal data.
   *
   * @param connection a connection with a transaction begun
   * @param deprovisionAfter how long until deprovisioning, or null for the configured default
   * @param anonymiseAfter how long until erasure, or null for the configured default; not before
   *     deprovisioning
   * @return the change, or null when no account has the id
   * @throws TransitionException (as the failure) when the account is neither active nor suspended
   * @throws IllegalArgumentException (as the failure) when erasure would come before deprovisioning
   */
  public Future<Transition> offboard(SqlConnection connection, UUID id, Duration deprovisionAfter,
                                     Duration anonymiseAfter) {
    Duration deprovision = deprovisionAfter != null ? deprovisionAfter : this.deprovisionAfter;
    Duration anonymise = anonymiseAfter != null ? anonymiseAfter
        : deprovision.plus(this.anonymiseAfter.minus(this.deprovisionAfter));
    if (anonymise.compareTo(deprovision) < 0) {
      return Future.failedFuture(new IllegalArgumentException("anonymisation cannot come before deprovisioning"));
    }
    return lock(connection, id).compose(row -> {
      if (row == null) {
        return Future.succeededFuture(null);
      }
      AccountStatus from = AccountStatus.of(row.getString("status"));
      if (from != AccountStatus.SUSPENDED) {
        LifecycleRules.check(from, AccountStatus.SUSPENDED);
      }
      Instant now = Instant.now();
      return set(connection, id, AccountStatus.SUSPENDED, now.plus(deprovision), now.plus(anonymise));
    });
  }

  private Future<Row> lock(SqlConnection connection, UUID id) {
    return connection.preparedQuery(LOCK).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  private Future<Transition> set(SqlConnection connection, UUID id, AccountStatus to, Instant deprovisionAt,
                                 Instant anonymiseAt) {
    Details[] before = new Details[1];
    return users.find(connection, id)
        .compose(found -> {
          before[0] = found;
          return connection.preparedQuery(SET).execute(Tuple.of(id, to.id(), offset(deprovisionAt), offset(anonymiseAt)));
        })
        .compose(done -> users.find(connection, id))
        .map(after -> new Transition(before[0], after, deprovisionAt, anonymiseAt));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static OffsetDateTime offset(Instant time) {
    return time == null ? null : time.atOffset(ZoneOffset.UTC);
  }
}
