package io.authgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.audit.AuditEvent;
import io.authgate.core.audit.AuditLog;
import io.authgate.core.audit.AuditQuery;
import io.authgate.core.store.Postgres;
import io.authgate.core.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code java -jar authgate.jar audit verify} against a real PostgreSQL. */
@ExtendWith(ServerDiagnostics.class)
class AuditVerifyIT {
  @TempDir
  Path workDir;

  @Test
  void itReportsAnIntactChainThenTheIdOfAnEntryAlteredBehindItsBack() throws Exception {
    String url = TestServices.freshDatabase();
    PgConnectOptions options = Postgres.connectOptions(url);
    Postgres.migrate(options);
    long altered;
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
      AuditLog log = new AuditLog(pool);
      for (int i = 0; i < 20; i++) {
        log.append(AuditEvent.bySystem("user.lifecycle.offboard", "user", "u" + i, "scheduled", null,
            new JsonObject().put("status", "deprovisioned"))).await();
      }
      altered = log.list(new AuditQuery(null, null, "user", "u12", null, null, null, 1)).await().entries().get(0).id();
      pool.close().await();
    } finally {
      vertx.close().await();
    }

    try (ServerProcess verify = ServerProcess.start(workDir, Map.of("AUTHGATE_POSTGRES_URL", url), "audit", "verify")) {
      assertThat(verify.awaitExit(120)).isEqualTo(0);
      assertThat(verify.stdout()).contains("audit log intact: 20 entries verified");
    }

    TestServices.execute(url, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
    TestServices.execute(url, "UPDATE audit_log SET reason = 'nothing happened' WHERE id = " + altered);
    TestServices.execute(url, "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");

    try (ServerProcess verify = ServerProcess.start(workDir, Map.of("AUTHGATE_POSTGRES_URL", url), "audit", "verify")) {
      assertThat(verify.awaitExit(120)).isEqualTo(1);
      assertThat(verify.stdout()).contains("audit log BROKEN at entry " + altered + ": its contents do not match "
          + "its hash (the entry was altered) (12 entries before it verified)");
    }
  }

  @Test
  void aStoreWithoutTheSchemaOrABadSettingIsReportedWithoutAStackTrace() throws Exception {
    String url = TestServices.freshDatabase();
    try (ServerProcess verify = ServerProcess.start(workDir, Map.of("AUTHGATE_POSTGRES_URL", url), "audit", "verify")) {
      assertThat(verify.awaitExit(120)).isEqualTo(3);
      assertThat(verify.stderrLines())
          .contains("authgate: the store has no audit log yet; start authgate once to create its schema");
    }
    try (ServerProcess verify = ServerProcess.start(workDir, Map.of("AUTHGATE_POSTGRES_URL", "mysql://x"),
        "audit", "verify")) {
      assertThat(verify.awaitExit(120)).isEqualTo(2);
      assertThat(verify.stderrLines()).singleElement().asString()
          .startsWith("authgate: configuration error: postgres.url");
    }
  }

  @Test
  void withoutAStoreUrlItReadsTheEmbeddedDefaultsStore() throws Exception {
    Map<String, String> env = Map.of("AUTHGATE_EMBEDDED_DATA_DIR", workDir.resolve("data").toString());
    try (ServerProcess verify = ServerProcess.start(workDir, env, "audit", "verify")) {
      assertThat(verify.awaitExit(180)).isEqualTo(3);
      assertThat(verify.stderrLines())
          .contains("authgate: the store has no audit log yet; start authgate once to create its schema");
    }
  }
}
