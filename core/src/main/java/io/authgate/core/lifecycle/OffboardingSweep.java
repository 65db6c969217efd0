package io.authgate.core.lifecycle;

import io.authgate.core.audit.AuditEvent;
import io.authgate.core.audit.AuditLog;
import io.authgate.core.store.AccountStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies offboarding dates that have come: a suspended account whose {@code deprovision_at} has
 * passed is deprovisioned; a deprovisioned account whose {@code anonymise_at} has passed has its
 * personal data erased. Each account is changed in a transaction of its own with its audit entry
 * (actor {@code system}), claimed with {@code FOR UPDATE SKIP LOCKED}: any number of sweepers in any
 * number of processes change each account exactly once. Thread-safe.
 *
 * <p>Erasure keeps what the gateways need to keep refusing the account: the username of a directory
 * account (the directory still holds it) and the SAML subject of a SAML account; an account of no
 * directory and no IdP loses its username too.
 */
public final class OffboardingSweep {
  /** The most accounts one sweep changes of each kind; the next sweep takes the rest. */
  public static final int BATCH = 500;
  private static final Logger LOG = LoggerFactory.getLogger(OffboardingSweep.class);
  private static final String DUE_DEPROVISION = """
      SELECT u.resource_id FROM users u JOIN resources r ON r.id = u.resource_id
      WHERE u.status = 'suspended' AND u.deprovision_at <= now() AND NOT r.deleted
      ORDER BY u.deprovision_at LIMIT 1 FOR UPDATE OF u SKIP LOCKED""";
  private static final String DUE_ANONYMISE = """
      SELECT u.resource_id FROM users u JOIN resources r ON r.id = u.resource_id
      WHERE u.status = 'deprovisioned' AND u.anonymise_at <= now() AND u.anonymised_at IS NULL AND NOT r.deleted
      ORDER BY u.anonymise_at LIMIT 1 FOR UPDATE OF u SKIP LOCKED""";
  private static final String ERASE_USER = """
      UPDATE users SET email = NULL, first_name = NULL, last_name = NULL, display_name = NULL, department = NULL,
        employee_type = NULL, manager = NULL, manager_id = NULL, ldap_dn = NULL, last_login_at = NULL,
        username = CASE WHEN directory_id IS NULL AND saml_issuer IS NULL
                        THEN 'anonymised-' || resource_id::text ELSE username END,
        anonymised_at = now()
      WHERE resource_id = $1""";
  private static final String ERASE_RESOURCE = """
      UPDATE resources SET displayname = NULL, description = NULL, notes = NULL,
        identifier = CASE WHEN (SELECT directory_id IS NULL AND saml_issuer IS NULL FROM users WHERE resource_id = $1)
                          THEN NULL ELSE identifier END
      WHERE id = $1""";

  private final Pool pool;
  private final Lifecycle lifecycle;
  private final LifecycleEffects effects;
  private final AuditLog audit;

  /**
   * @param pool the store
   * @param lifecycle changes accounts
   * @param effects what follows a deprovisioning
   */
  public OffboardingSweep(Pool pool, Lifecycle lifecycle, LifecycleEffects effects) {
    this.pool = pool;
    this.lifecycle = lifecycle;
    this.effects = effects;
    this.audit = new AuditLog(pool);
  }

  /** The outcome of one sweep. */
  public record Result(int deprovisioned, int anonymised) {
  }

  /** @return how many accounts this sweep deprovisioned and erased */
  public Future<Result> run() {
    return repeat(this::deprovisionOne, 0).compose(deprovisioned -> repeat(this::anonymiseOne, 0)
        .map(anonymised -> new Result(deprovisioned, anonymised)));
  }

  private Future<Integer> repeat(java.util.function.Supplier<Future<Boolean>> step, int done) {
    if (done >= BATCH) {
      return Future.succeededFuture(done);
    }
    return step.get().compose(changed -> changed ? repeat(step, done + 1) : Future.succeededFuture(done));
  }

  private Future<Boolean> deprovisionOne() {
    return pool.withTransaction(connection -> claim(connection, DUE_DEPROVISION).compose(id -> id == null
        ? Future.succeededFuture((Transition) null)
        : lifecycle.transition(connection, id, AccountStatus.DEPROVISIONED).compose(t -> audit.append(connection,
            AuditEvent.bySystem(t.action(), "user", id.toString(), "offboarding: the deprovisioning date has come",
                t.oldState(), t.newState())).map(t))))
        .compose(t -> t == null ? Future.succeededFuture(false) : effects.apply(t).map(true));
  }

  private Future<Boolean> anonymiseOne() {
    return pool.withTransaction(connection -> claim(connection, DUE_ANONYMISE).compose(id -> id == null
        ? Future.succeededFuture(false)
        : connection.preparedQuery(ERASE_RESOURCE).execute(Tuple.of(id))
            .compose(v -> connection.preparedQuery(ERASE_USER).execute(Tuple.of(id)))
            .compose(v -> audit.append(connection, AuditEvent.bySystem("user.lifecycle.anonymised", "user",
                id.toString(), "offboarding: personal data erased", null, null)))
            .map(true)))
        .onSuccess(changed -> {
          if (changed) {
            LOG.atInfo().addKeyValue("event", "lifecycle.anonymised").log("personal data of an account erased");
          }
        });
  }

  private static Future<UUID> claim(SqlConnection connection, String sql) {
    return connection.query(sql).execute().map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
  }
}
