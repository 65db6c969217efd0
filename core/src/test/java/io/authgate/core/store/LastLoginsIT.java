package io.authgate.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestStore;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sign-in times written in batches, on a real PostgreSQL with a database of this class's own. */
@ExtendWith(NoBlockedThreads.class)
class LastLoginsIT {
  private static final String IDP = "https://idp.example.com";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static TestStore store;
  private static Vertx vertx;
  private static Pool pool;
  private static UserAccounts accounts;

  @BeforeAll
  static void start() {
    store = TestStore.start(4);
    vertx = store.vertx();
    pool = store.pool();
    accounts = new UserAccounts(pool);
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  private static UserAccount account() {
    int n = SEQUENCE.incrementAndGet();
    return accounts.provisionJit(IDP, "subject-" + n, null, "user" + n, null, null, null).await();
  }

  private static Instant lastLogin(UserAccount account) {
    return accounts.findById(account.id()).await().lastLoginAt();
  }

  @Test
  void manySignInsOfAnAccountAreWrittenOnceWithTheLatestTime() {
    LastLogins logins = new LastLogins(vertx, accounts, Duration.ofHours(1));
    UserAccount alice = account();
    UserAccount bob = account();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    logins.record(alice.id(), now.minusSeconds(5));
    logins.record(alice.id(), now);
    logins.record(alice.id(), now.minusSeconds(10));
    logins.record(bob.id(), now.minusSeconds(1));
    assertThat(logins.pending()).isEqualTo(2);
    assertThat(lastLogin(alice)).as("nothing written before the interval").isNull();

    logins.write().await();
    assertThat(lastLogin(alice)).isEqualTo(now);
    assertThat(lastLogin(bob)).isEqualTo(now.minusSeconds(1));
    assertThat(logins.pending()).isZero();
    logins.close().await();
  }

  @Test
  void thePeriodicWriteCarriesSignInsToTheStoreWithoutBeingAsked() throws InterruptedException {
    LastLogins logins = new LastLogins(vertx, accounts, Duration.ofMillis(100));
    UserAccount carol = account();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    logins.record(carol.id(), at);
    long deadline = System.currentTimeMillis() + 5_000;
    while (lastLogin(carol) == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(lastLogin(carol)).isEqualTo(at);
    logins.close().await();
  }

  @Test
  void moreAccountsThanOneStatementTakesAreAllWritten() {
    LastLogins logins = new LastLogins(vertx, accounts, Duration.ofHours(1));
    List<UUID> ids = pool.query("""
            WITH r AS (INSERT INTO resources (type, identifier) SELECT 'user', 'bulk-' || g
                       FROM generate_series(1, %d) g RETURNING id, identifier)
            INSERT INTO users (resource_id, username, status, provisioning_method)
            SELECT id, identifier, 'active', 'manual' FROM r RETURNING resource_id"""
            .formatted(LastLogins.MAX_BATCH + 7)).execute().await()
        .stream().map(row -> row.getUUID(0)).collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    ids.forEach(id -> logins.record(id, at));

    logins.close().await();
    assertThat(logins.pending()).isZero();
    long written = pool.query("SELECT count(*) FROM users WHERE username LIKE 'bulk-%' AND last_login_at IS NOT NULL")
        .execute().await().iterator().next().getLong(0);
    assertThat(written).isEqualTo(LastLogins.MAX_BATCH + 7);
  }

  @Test
  void aFailedWriteKeepsTheTimesForTheNextOne() {
    // Not Postgres.pool: its pools are shared by name, so that would hand back the working one.
    Pool unreachable = PgBuilder.pool()
        .connectingTo(new PgConnectOptions(store.options()).setDatabase("no_such_database_here"))
        .using(vertx).build();
    LastLogins failing = new LastLogins(vertx, new UserAccounts(unreachable), Duration.ofHours(1));
    UserAccount dave = account();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    failing.record(dave.id(), at);

    failing.write().await();
    assertThat(failing.pending()).as("kept for the next try").isEqualTo(1);
    failing.close().await();
    unreachable.close().await();
  }
}
