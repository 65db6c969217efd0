package io.authgate.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestServices;
import io.authgate.core.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rules migration V3 puts into the schema: jobs, identities, memberships, operations. */
@ExtendWith(NoBlockedThreads.class)
class DataModelIT {
  private static final String CLAIM = "SELECT id FROM jobs WHERE status = 'queued' AND next_attempt_at <= now() "
      + "ORDER BY next_attempt_at FOR UPDATE SKIP LOCKED LIMIT 1";
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    PgConnectOptions options = Postgres.connectOptions(TestServices.freshDatabase());
    Postgres.migrate(options);
    vertx = TestVertx.create();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(options).using(vertx).build();
  }

  @AfterAll
  static void stop() {
    pool.close().await();
    vertx.close().await();
  }

  private static Row one(String sql, Object... params) {
    return pool.preparedQuery(sql).execute(Tuple.from(params)).await().iterator().next();
  }

  private static String sqlState(Throwable e) {
    return ((PgException) e).getSqlState();
  }

  @Test
  void twoWorkersClaimingAtOnceGetDifferentJobs() {
    UUID first = one("INSERT INTO jobs (type, payload) VALUES ('directory.sync', '{\"d\": 1}') RETURNING id").getUUID(0);
    UUID second = one("INSERT INTO jobs (type) VALUES ('directory.sync') RETURNING id").getUUID(0);
    SqlConnection a = pool.getConnection().await();
    SqlConnection b = pool.getConnection().await();
    try {
      Transaction ta = a.begin().await();
      Transaction tb = b.begin().await();
      UUID claimedByA = a.query(CLAIM).execute().await().iterator().next().getUUID(0);
      UUID claimedByB = b.query(CLAIM).execute().await().iterator().next().getUUID(0);
      assertThat(claimedByA).isNotEqualTo(claimedByB);
      assertThat(List.of(claimedByA, claimedByB)).containsExactlyInAnyOrder(first, second);
      ta.rollback().await();
      tb.rollback().await();
    } finally {
      a.close().await();
      b.close().await();
    }
  }

  @Test
  void aScheduledJobHasOneLiveInstancePerKey() {
    one("INSERT INTO jobs (type, dedupe_key) VALUES ('health.check', 'health:corp') RETURNING id");
    assertThatThrownBy(() -> one("INSERT INTO jobs (type, dedupe_key) VALUES ('health.check', 'health:corp') RETURNING id"))
        .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23505"));
    pool.query("UPDATE jobs SET status = 'succeeded' WHERE dedupe_key = 'health:corp'").execute().await();
    assertThat(one("INSERT INTO jobs (type, dedupe_key) VALUES ('health.check', 'health:corp') RETURNING id")
        .getUUID(0)).isNotNull();
    assertThatThrownBy(() -> one("INSERT INTO jobs (type, lease_owner) VALUES ('x', 'worker-1') RETURNING id"))
        .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
  }

  @Test
  void anAccountResolvesToItsRootPrimeThroughItsCohort() {
    UUID root = one("INSERT INTO identities (kind, displayname) VALUES ('root', 'Ada') RETURNING id").getUUID(0);
    UUID cohort = one("INSERT INTO identities (kind, parent_id) VALUES ('cohort', $1) RETURNING id", root).getUUID(0);
    UUID resource = one("INSERT INTO resources (type) VALUES ('user') RETURNING id").getUUID(0);
    pool.preparedQuery("INSERT INTO users (resource_id, username, provisioning_method, identity_id) "
        + "VALUES ($1, 'ada', 'manual', $2)").execute(Tuple.of(resource, cohort)).await();

    Row resolved = one("""
        WITH RECURSIVE up AS (
          SELECT i.id, i.parent_id FROM identities i JOIN users u ON u.identity_id = i.id WHERE u.resource_id = $1
          UNION ALL SELECT i.id, i.parent_id FROM identities i JOIN up ON i.id = up.parent_id)
        SELECT id FROM up WHERE parent_id IS NULL""", resource);
    assertThat(resolved.getUUID(0)).isEqualTo(root);

    assertThatThrownBy(() -> one("INSERT INTO identities (kind) VALUES ('cohort') RETURNING id"))
        .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
    assertThatThrownBy(() -> one("INSERT INTO identities (kind, parent_id) VALUES ('root', $1) RETURNING id", root))
        .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
  }

  @Test
  void membershipsAreSoftDeletedAndRememberTheirOperation() {
    UUID group = one("INSERT INTO resources (type) VALUES ('group') RETURNING id").getUUID(0);
    UUID member = one("INSERT INTO resources (type) VALUES ('user') RETURNING id").getUUID(0);
    UUID operation = one("INSERT INTO operations (type, status, group_id) VALUES ('full-update', 'running', $1) "
        + "RETURNING id", group).getUUID(0);
    pool.preparedQuery("INSERT INTO group_members (group_id, member_id, member_name, source, last_operation_id) "
        + "VALUES ($1, $2, 'ada', 'corp', $3)").execute(Tuple.of(group, member, operation)).await();

    assertThatThrownBy(() -> pool.query("UPDATE group_members SET removed = true").execute().await())
        .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
    pool.query("UPDATE group_members SET removed = true, removed_at = now()").execute().await();
    assertThatThrownBy(() -> pool.preparedQuery("UPDATE operations SET status = 'complete' WHERE id = $1")
        .execute(Tuple.of(operation)).await()).satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
    pool.preparedQuery("UPDATE operations SET status = 'complete', completed = now() WHERE id = $1")
        .execute(Tuple.of(operation)).await();
    assertThat(one("SELECT count(*) FROM group_members WHERE removed AND last_operation_id = $1", operation)
        .getLong(0)).isEqualTo(1);
  }

  @Test
  void theAuditChainHeadCannotBeRemoved() {
    assertThatThrownBy(() -> pool.query("DELETE FROM audit_chain_head").execute().await())
        .hasMessageContaining("append-only");
    assertThat(one("SELECT count(*) FROM audit_chain_head").getLong(0)).isEqualTo(1);
  }
}
