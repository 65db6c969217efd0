package io.authgate.sync.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.lifecycle.AccountKeys;
import io.authgate.core.lifecycle.Lifecycle;
import io.authgate.core.lifecycle.LifecycleEffects;
import io.authgate.core.lifecycle.OffboardingSweep;
import io.authgate.core.observability.MeterRegistries;
import io.authgate.core.runtime.Platform;
import io.authgate.core.store.Postgres;
import io.authgate.core.store.UserQueries;
import io.authgate.core.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Offboarding dates applied by competing sweeps, against a real PostgreSQL. */
class OffboardingSweepIT {
  private Vertx vertx;
  private Pool pool;
  private Platform platform;
  private UUID corp;

  @BeforeEach
  void start() throws Exception {
    PgConnectOptions options = Postgres.connectOptions(TestServices.freshDatabase());
    Postgres.migrate(options);
    vertx = Vertx.vertx();
    pool = Postgres.pool(vertx, options, 4);
    Path file = Files.createTempFile("authgate-sweep", ".yaml");
    Files.writeString(file, "roles: [sync-worker]\n");
    AuthgateConfig config = ConfigLoader.withEnvironment(Map.of()).load(Optional.of(file));
    Files.delete(file);
    platform = Platform.start(vertx, config, MeterRegistries.prometheus(), Optional.of(pool)).await();
    corp = pool.query("INSERT INTO directories (name, kind, urls, base_dn) VALUES ('corp', 'openldap', '{ldap://x}',"
        + " 'dc=example,dc=org') RETURNING id").execute().await().iterator().next().getUUID(0);
  }

  @AfterEach
  void stop() {
    platform.close().await();
    pool.close().await();
    vertx.close().await();
  }

  private UUID user(UUID directory, String username, String status, String deprovisionIn, String anonymiseIn) {
    UUID id = pool.preparedQuery("INSERT INTO resources (type, identifier, displayname) VALUES ('user', $1, $1)"
        + " RETURNING id").execute(Tuple.of(username)).await().iterator().next().getUUID(0);
    pool.preparedQuery("INSERT INTO users (resource_id, directory_id, username, email, display_name, department, status,"
            + " provisioning_method, deprovision_at, anonymise_at) VALUES ($1, $2, $3, $3 || '@corp.example', $3,"
            + " 'Sales', $4, 'manual', now() + $5::text::interval, now() + $6::text::interval)")
        .execute(Tuple.of(id, directory, username, status, deprovisionIn, anonymiseIn)).await();
    return id;
  }

  private OffboardingSweep sweep() {
    return new OffboardingSweep(pool, new Lifecycle(new UserQueries(pool), platform.config().admin().deprovisionAfter(),
        platform.config().admin().anonymiseAfter()), new LifecycleEffects(platform.accounts(), platform.broadcaster(),
        new AccountKeys(platform.accounts().verifier(), () -> Future.succeededFuture(List.of()))));
  }

  private Row row(UUID id) {
    return pool.preparedQuery("SELECT u.status, u.username, u.email, u.display_name, u.department, u.anonymised_at,"
        + " r.displayname, r.identifier FROM users u JOIN resources r ON r.id = u.resource_id WHERE u.resource_id = $1")
        .execute(Tuple.of(id)).await().iterator().next();
  }

  private List<String> audit(UUID id) {
    return pool.preparedQuery("SELECT action || ' by ' || actor FROM audit_log WHERE target_id = $1 ORDER BY id")
        .execute(Tuple.of(id.toString())).await().stream().map(r -> r.getString(0)).toList();
  }

  @Test
  void dueDatesAreAppliedOnceEvenByCompetingSweepsAndFutureOnesWait() {
    UUID due = user(corp, "due", "suspended", "-1 hour", "30 days");
    UUID later = user(corp, "later", "suspended", "2 days", "60 days");
    UUID erase = user(corp, "erase", "deprovisioned", "-40 days", "-1 minute");
    UUID local = user(null, "localonly", "deprovisioned", "-40 days", "-1 minute");
    UUID active = user(corp, "stays", "active", "-1 hour", "-1 minute");

    OffboardingSweep one = sweep();
    OffboardingSweep two = sweep();
    List<OffboardingSweep.Result> results = Future.all(one.run(), two.run()).await().list();
    assertThat(results.stream().mapToInt(OffboardingSweep.Result::deprovisioned).sum()).isEqualTo(1);
    assertThat(results.stream().mapToInt(OffboardingSweep.Result::anonymised).sum()).isEqualTo(2);

    assertThat(row(due).getString("status")).isEqualTo("deprovisioned");
    assertThat(audit(due)).containsExactly("user.lifecycle.deprovisioned by system");
    assertThat(row(later).getString("status")).isEqualTo("suspended");
    assertThat(row(active).getString("status")).isEqualTo("active");
    assertThat(audit(later)).isEmpty();

    Row erased = row(erase);
    assertThat(erased.getString("email")).isNull();
    assertThat(erased.getString("display_name")).isNull();
    assertThat(erased.getString("department")).isNull();
    assertThat(erased.getString("displayname")).isNull();
    assertThat(erased.getValue("anonymised_at")).isNotNull();
    // A directory account keeps its username, so the gateways keep refusing it while the directory has it.
    assertThat(erased.getString("username")).isEqualTo("erase");
    assertThat(row(local).getString("username")).isEqualTo("anonymised-" + local);
    assertThat(row(local).getString("identifier")).isNull();
    assertThat(audit(erase)).containsExactly("user.lifecycle.anonymised by system");

    // Nothing is left to do; a second round changes nothing.
    OffboardingSweep.Result again = sweep().run().await();
    assertThat(again.deprovisioned() + again.anonymised()).isZero();
    assertThat(audit(erase)).hasSize(1);
  }
}
