package io.authgate.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.events.Addresses;
import io.authgate.core.events.LocalBroadcaster;
import io.authgate.core.store.AccountStatus;
import io.authgate.core.store.Postgres;
import io.authgate.core.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateways' view of blocked accounts against a real PostgreSQL: events at once, the store as the backstop. */
class BlockedAccountsIT {
  private Vertx vertx;
  private Pool pool;
  private UUID corp;

  @BeforeEach
  void start() {
    PgConnectOptions options = Postgres.connectOptions(TestServices.freshDatabase());
    Postgres.migrate(options);
    vertx = Vertx.vertx();
    pool = Postgres.pool(vertx, options, 2);
    corp = pool.query("INSERT INTO directories (name, kind, urls, base_dn) VALUES ('corp', 'openldap', '{ldap://x}',"
        + " 'dc=example,dc=org') RETURNING id").execute().await().iterator().next().getUUID(0);
  }

  @AfterEach
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  private void user(String username, String status) {
    UUID id = pool.query("INSERT INTO resources (type) VALUES ('user') RETURNING id").execute().await().iterator()
        .next().getUUID(0);
    pool.preparedQuery("INSERT INTO users (resource_id, directory_id, username, status, provisioning_method)"
        + " VALUES ($1, $2, $3, $4, 'ldap_sync')").execute(Tuple.of(id, corp, username, status)).await();
  }

  private void behindTheBack(String username, String status) {
    pool.preparedQuery("UPDATE users SET status = $2 WHERE username = $1").execute(Tuple.of(username, status)).await();
  }

  private static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  @Test
  void startsFromTheStoreFollowsEventsAtOnceAndCatchesUpWithChangesNoEventTold() throws Exception {
    user("held", "suspended");
    user("gone", "deprovisioned");
    user("fine", "active");
    BlockedAccounts view = BlockedAccounts.start(vertx, Optional.of(pool), Duration.ofMillis(200)).await();
    assertThat(view.isBlocked("corp", "HELD")).isTrue();
    assertThat(view.isBlocked("corp", "gone")).isTrue();
    assertThat(view.isBlocked("corp", "fine")).isFalse();
    assertThat(view.isBlocked("other", "held")).isFalse();

    // An event: at once, before the store says anything.
    BlockedAccounts.announce(new LocalBroadcaster(vertx), "corp", "newcomer", AccountStatus.SUSPENDED).await();
    assertThat(within(Duration.ofSeconds(1), () -> view.isBlocked("corp", "newcomer"))).isTrue();

    // Changes made behind the view's back (a lost event): the next catch-up reads them.
    behindTheBack("fine", "suspended");
    behindTheBack("held", "active");
    assertThat(within(Duration.ofSeconds(5), () -> view.isBlocked("corp", "fine") && !view.isBlocked("corp", "held")))
        .isTrue();
    view.close().await();
  }

  @Test
  void aResyncReadsTheWholeViewAgain() throws Exception {
    user("held", "suspended");
    BlockedAccounts view = BlockedAccounts.start(vertx, Optional.of(pool), Duration.ofHours(1)).await();
    assertThat(view.isBlocked("corp", "held")).isTrue();
    behindTheBack("held", "active");
    vertx.eventBus().publish(Addresses.EVENTS_RESYNC, "");
    assertThat(within(Duration.ofSeconds(5), () -> !view.isBlocked("corp", "held"))).isTrue();
    view.close().await();
  }
}
