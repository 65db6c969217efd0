package io.authgate.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.config.ConfigLoader;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Migrations and the directories table, on a real PostgreSQL. */
class PostgresIT {
  private static Vertx vertx;
  private static Pool pool;
  private static PgConnectOptions options;
  private static int firstMigrations;

  @BeforeAll
  static void start() {
    options = Postgres.connectOptions(TestServices.freshDatabase());
    firstMigrations = Postgres.migrate(options);
    vertx = Vertx.vertx();
    pool = Postgres.pool(vertx, options, 2);
  }

  @AfterAll
  static void stop() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  void migrationsRunOnceAndConfiguredDirectoriesAreRecordedWithoutSecrets() {
    assertThat(firstMigrations).isPositive();
    assertThat(Postgres.migrate(options)).isZero();

    DirectoryConfig corp = ConfigLoader.directory(Map.of("name", "corp", "kind", "active-directory",
        "urls", List.of("ldaps://dc1.corp:636", "ldaps://dc2.corp:636"), "baseDn", "DC=corp,DC=test",
        "bindDn", "CN=svc,DC=corp,DC=test", "bindPassword", "do-not-store-me", "emailDomains", List.of("corp.test")));
    DirectoryRecords records = new DirectoryRecords(pool);
    records.recordConfigured(List.of(corp)).await();
    records.recordConfigured(List.of(corp)).await();

    List<Row> rows = pool.query("SELECT * FROM directories").execute().await().stream().toList();
    assertThat(rows).hasSize(1);
    Row row = rows.get(0);
    assertThat(row.getString("name")).isEqualTo("corp");
    assertThat(row.getString("kind")).isEqualTo("active-directory");
    assertThat(row.getArrayOfStrings("urls")).containsExactly("ldaps://dc1.corp:636", "ldaps://dc2.corp:636");
    assertThat(row.getString("source")).isEqualTo("config");
    assertThat(row.getString("health_status")).isEqualTo("unknown");
    assertThat(row.getArrayOfStrings("email_domains")).containsExactly("corp.test");
    assertThat(row.toJson().encode()).doesNotContain("do-not-store-me");
  }

  @Test
  void theSchemaRefusesAnInvalidDirectoryName() {
    String insert = "INSERT INTO directories (name, kind, urls, base_dn) VALUES ('Bad Name', 'openldap', "
        + "'{ldap://x}', 'dc=x')";
    assertThatThrownBy(() -> pool.query(insert).execute().await()).hasMessageContaining("directories_name_check");
  }
}
