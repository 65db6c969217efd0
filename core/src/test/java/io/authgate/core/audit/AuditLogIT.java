package io.authgate.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.store.Postgres;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestServices;
import io.authgate.core.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit log on a real PostgreSQL; each test has a database of its own, so its chain is its own. */
@ExtendWith(NoBlockedThreads.class)
class AuditLogIT {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = TestVertx.create();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static Pool freshPool() {
    PgConnectOptions options = Postgres.connectOptions(TestServices.freshDatabase());
    Postgres.migrate(options);
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(8)).connectingTo(options).using(vertx).build();
  }

  private static AuditEvent suspend(String user, String reason) {
    return new AuditEvent("alice", ActorType.ADMIN_USER, "user.lifecycle.transition", "user", user, reason,
        new JsonObject().put("status", "active").put("groups", List.of("staff")),
        new JsonObject().put("status", "suspended"), "192.0.2.10", "curl/8.5");
  }

  private static void appendMany(AuditLog log, int count) {
    for (int i = 0; i < count; i++) {
      log.append(AuditEvent.bySystem("job.run", "job", "j" + i, null, null, new JsonObject().put("n", i))).await();
    }
  }

  private static void behindTheApisBack(Pool pool, String sql) {
    pool.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").execute().await();
    pool.query(sql).execute().await();
    pool.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only").execute().await();
  }

  @Test
  void anAppendedEntryKeepsEveryFieldAndChainsToTheOneBefore() {
    AuditLog log = new AuditLog(freshPool());

    AuditEntry first = log.append(suspend("u1", "left the company")).await();
    AuditEntry second = log.append(suspend("u2", null)).await();

    assertThat(first.prevHash()).isEqualTo(AuditHashes.GENESIS);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(second.id()).isGreaterThan(first.id());
    AuditEvent stored = first.event();
    assertThat(stored.actor()).isEqualTo("alice");
    assertThat(stored.actorType()).isEqualTo(ActorType.ADMIN_USER);
    assertThat(stored.targetId()).isEqualTo("u1");
    assertThat(stored.reason()).isEqualTo("left the company");
    assertThat(stored.oldState()).isEqualTo(new JsonObject().put("status", "active").put("groups", List.of("staff")));
    assertThat(stored.newState()).isEqualTo(new JsonObject().put("status", "suspended"));
    assertThat(stored.ip()).isEqualTo("192.0.2.10");
    assertThat(stored.userAgent()).isEqualTo("curl/8.5");
    assertThat(log.verify().await()).isEqualTo(ChainCheck.ok(2));
  }

  @Test
  void theDatabaseRefusesToUpdateDeleteOrTruncateEntries() {
    Pool pool = freshPool();
    AuditLog log = new AuditLog(pool);
    AuditEntry entry = log.append(suspend("u1", "reason")).await();

    assertThatThrownBy(() -> pool.preparedQuery("UPDATE audit_log SET reason = 'nothing to see' WHERE id = $1")
        .execute(Tuple.of(entry.id())).await())
        .isInstanceOf(PgException.class).hasMessageContaining("audit_log is append-only: UPDATE is not allowed");
    assertThatThrownBy(() -> pool.preparedQuery("DELETE FROM audit_log WHERE id = $1")
        .execute(Tuple.of(entry.id())).await())
        .isInstanceOf(PgException.class).hasMessageContaining("audit_log is append-only: DELETE is not allowed");
    assertThatThrownBy(() -> pool.query("TRUNCATE audit_log").execute().await())
        .isInstanceOf(PgException.class).hasMessageContaining("audit_log is append-only: TRUNCATE is not allowed");
    assertThat(log.list(AuditQuery.latest()).await().entries()).singleElement()
        .satisfies(e -> assertThat(e.event().reason()).isEqualTo("reason"));
    assertThat(log.verify().await().intact()).isTrue();
  }

  @Test
  void manyConcurrentAppendsFormOneUnbrokenChain() {
    AuditLog log = new AuditLog(freshPool());
    List<Future<AuditEntry>> appends = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      appends.add(log.append(suspend("u" + i, "bulk " + i)));
    }
    Future.all(appends).await();

    assertThat(appends.stream().map(f -> f.result().prevHash()).distinct().count()).isEqualTo(300);
    ChainCheck check = log.verify().await();
    assertThat(check).isEqualTo(ChainCheck.ok(300));
    assertThat(check.describe()).isEqualTo("audit log intact: 300 entries verified");
  }

  @Test
  void anEntryAlteredBehindTheApisBackIsReportedByItsId() {
    Pool pool = freshPool();
    AuditLog log = new AuditLog(pool);
    appendMany(log, 1200);
    long altered = log.list(new AuditQuery(null, null, null, "j700", null, null, null, 1)).await()
        .entries().get(0).id();

    behindTheApisBack(pool, "UPDATE audit_log SET new_state = '{\"n\": 7000}' WHERE id = " + altered);

    ChainCheck check = log.verify().await();
    assertThat(check.intact()).isFalse();
    assertThat(check.brokenId()).isEqualTo(altered);
    assertThat(check.checked()).isEqualTo(700);
    assertThat(check.problem()).contains("altered");
    assertThat(check.describe()).startsWith("audit log BROKEN at entry " + altered + ":");
  }

  @Test
  void aRemovedEntryBreaksTheLinkOfTheNextOne() {
    Pool pool = freshPool();
    AuditLog log = new AuditLog(pool);
    appendMany(log, 10);
    List<AuditEntry> newestFirst = log.list(AuditQuery.latest()).await().entries();

    behindTheApisBack(pool, "DELETE FROM audit_log WHERE id = " + newestFirst.get(5).id());

    ChainCheck check = log.verify().await();
    assertThat(check.brokenId()).isEqualTo(newestFirst.get(4).id());
    assertThat(check.problem()).contains("previous hash");
  }

  @Test
  void entriesRemovedFromTheEndAreNoticedThroughTheChainHead() {
    Pool pool = freshPool();
    AuditLog log = new AuditLog(pool);
    appendMany(log, 5);
    long last = log.list(AuditQuery.latest()).await().entries().get(0).id();

    behindTheApisBack(pool, "DELETE FROM audit_log WHERE id >= " + (last - 1));

    ChainCheck check = log.verify().await();
    assertThat(check.intact()).isFalse();
    assertThat(check.brokenId()).isEqualTo(last);
    assertThat(check.problem()).contains("removed from the end");
  }

  @Test
  void anAppendInTheCallersTransactionRollsBackWithItAndNeedsOne() {
    Pool pool = freshPool();
    AuditLog log = new AuditLog(pool);
    log.append(suspend("u1", "kept")).await();

    assertThatThrownBy(() -> pool.withTransaction(connection -> log.append(connection, suspend("u2", "undone"))
        .compose(entry -> Future.failedFuture(new IllegalStateException("the change failed")))).await())
        .hasMessage("the change failed");
    assertThatThrownBy(() -> pool.withConnection(connection -> log.append(connection, suspend("u3", "no tx"))).await())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
    log.append(suspend("u4", "after")).await();

    assertThat(log.list(AuditQuery.latest()).await().entries()).extracting(e -> e.event().reason())
        .containsExactly("after", "kept");
    assertThat(log.verify().await()).isEqualTo(ChainCheck.ok(2));
  }

  @Test
  void theListFiltersAndPagesNewestFirst() {
    AuditLog log = new AuditLog(freshPool());
    appendMany(log, 7);
    log.append(suspend("u1", "one")).await();
    log.append(suspend("u2", "two")).await();

    AuditPage byAlice = log.list(new AuditQuery("alice", null, null, null, null, null, null, 50)).await();
    assertThat(byAlice.entries()).extracting(e -> e.event().targetId()).containsExactly("u2", "u1");
    assertThat(byAlice.nextCursor()).isNull();
    assertThat(log.list(new AuditQuery(null, "job.run", "job", "j3", null, null, null, 50)).await().entries())
        .singleElement().satisfies(e -> assertThat(e.event().newState().getInteger("n")).isEqualTo(3));

    AuditPage first = log.list(new AuditQuery(null, "job.run", null, null, null, null, null, 3)).await();
    AuditPage second = log.list(new AuditQuery(null, "job.run", null, null, null, null, first.nextCursor(), 3)).await();
    AuditPage third = log.list(new AuditQuery(null, "job.run", null, null, null, null, second.nextCursor(), 3)).await();
    assertThat(first.entries()).extracting(e -> e.event().targetId()).containsExactly("j6", "j5", "j4");
    assertThat(second.entries()).extracting(e -> e.event().targetId()).containsExactly("j3", "j2", "j1");
    assertThat(third.entries()).extracting(e -> e.event().targetId()).containsExactly("j0");
    assertThat(third.nextCursor()).isNull();

    AuditEntry newest = byAlice.entries().get(0);
    assertThat(log.list(new AuditQuery(null, null, null, null, newest.at(), null, null, 50)).await().entries())
        .containsExactly(newest);
    assertThat(log.list(new AuditQuery(null, null, null, null, null, newest.at(), null, 50)).await().entries())
        .hasSize(8);
    assertThatThrownBy(() -> new AuditQuery(null, null, null, null, null, null, null, 501))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
