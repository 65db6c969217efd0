package io.authgate.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.ConfigLoader;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestServices;
import io.authgate.core.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store's pool bounds every statement by {@code postgres.queryTimeout}, on a real PostgreSQL:
 * PostgreSQL cancels a statement that runs too long or waits too long for a lock, and the
 * connection serves on.
 */
@ExtendWith(NoBlockedThreads.class)
class PostgresQueryTimeoutIT {
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  /** Generous: the test machine may be busy; what matters is that the statement fails, and not early. */
  private static final long LATE_MILLIS = 2_500;
  private static final String QUERY_CANCELED = "57014";

  private Vertx vertx;
  /** The other pool's: pools of one name are shared within a Vert.x. */
  private Vertx otherVertx;
  private PgConnectOptions options;
  private Pool pool;
  private Pool other;

  @BeforeEach
  void start() {
    options = Postgres.connectOptions(TestServices.freshDatabase());
    Postgres.migrate(options);
    vertx = TestVertx.create();
    pool = Postgres.pool(vertx, options, 1, TIMEOUT);
    otherVertx = TestVertx.create();
    other = Postgres.pool(otherVertx, options, 1);
  }

  @AfterEach
  void stop() {
    pool.close().await();
    other.close().await();
    vertx.close().await();
    otherVertx.close().await();
  }

  @Test
  void aStatementRunningLongerThanTheTimeoutIsCancelledAndItsConnectionServesOn() throws Exception {
    int backend = backendPid();
    long start = System.nanoTime();
    Throwable failure = failureOf(pool.query("SELECT pg_sleep(10)").execute());

    assertThat(failure).isInstanceOfSatisfying(PgException.class,
        e -> assertThat(e.getSqlState()).isEqualTo(QUERY_CANCELED));
    assertThat(millisSince(start)).isBetween(TIMEOUT.toMillis(), TIMEOUT.toMillis() + LATE_MILLIS);
    assertThat(backendPid()).as("the same connection, still open").isEqualTo(backend);
  }

  @Test
  void aStoreWriteWaitingOnALockHeldElsewhereFailsAfterTheTimeoutAndSucceedsOnceTheLockIsGone() throws Exception {
    DirectoryRecords records = new DirectoryRecords(pool);
    List<DirectoryConfig> corp = List.of(ConfigLoader.directory(Map.of("name", "corp",
        "urls", List.of("ldap://dc1.corp:389"), "baseDn", "dc=corp,dc=test")));
    records.recordConfigured(corp).await(10, TimeUnit.SECONDS);

    // Another process holds the row, with the default timeout of 30 s, and does not let go.
    SqlConnection holder = other.getConnection().await(10, TimeUnit.SECONDS);
    Transaction held = holder.begin().await(10, TimeUnit.SECONDS);
    holder.query("SELECT * FROM directories WHERE name = 'corp' FOR UPDATE").execute().await(10, TimeUnit.SECONDS);
    try {
      long start = System.nanoTime();
      Throwable failure = failureOf(records.recordConfigured(corp));
      assertThat(failure).isInstanceOfSatisfying(PgException.class,
          e -> assertThat(e.getSqlState()).isEqualTo(QUERY_CANCELED));
      assertThat(millisSince(start)).isBetween(TIMEOUT.toMillis(), TIMEOUT.toMillis() + LATE_MILLIS);
    } finally {
      held.rollback().await(10, TimeUnit.SECONDS);
      holder.close().await(10, TimeUnit.SECONDS);
    }
    records.recordConfigured(corp).await(10, TimeUnit.SECONDS);
  }

  @Test
  void theTimeoutIsTheStoresOwnAndTheCallersOptionsAreLeftAlone() throws Exception {
    assertThat(pool.query("SHOW statement_timeout").execute().await(10, TimeUnit.SECONDS).iterator().next()
        .getString(0)).isEqualTo("300ms");
    assertThat(other.query("SHOW statement_timeout").execute().await(10, TimeUnit.SECONDS).iterator().next()
        .getString(0)).as("the default").isEqualTo("30s");
    assertThat(options.getProperties()).doesNotContainKey("statement_timeout");
  }

  private int backendPid() throws Exception {
    return pool.query("SELECT pg_backend_pid()").execute().await(10, TimeUnit.SECONDS).iterator().next().getInteger(0);
  }

  private static Throwable failureOf(Future<?> future) {
    try {
      future.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("the statement succeeded");
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
