package io.authgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import io.authgate.core.testing.Slapd;
import io.authgate.core.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The crash test: a sync-worker process is killed with SIGKILL in the middle of a full sync of a
 * large directory; a second process finishes the job from its checkpoint, and every entry is
 * synced (and counted) exactly once.
 */
@ExtendWith(ServerDiagnostics.class)
class SyncCrashIT {
  private static final int PEOPLE = 5000;
  private static Slapd slapd;

  @BeforeAll
  static void directory() throws Exception {
    slapd = Slapd.startNew();
    try (LDAPConnection admin = slapd.adminConnection()) {
      for (int i = 0; i < PEOPLE; i++) {
        admin.add(new Entry("uid=crash" + i + ",ou=people," + Slapd.BASE_DN,
            new Attribute("objectClass", "top", "inetOrgPerson"), new Attribute("uid", "crash" + i),
            new Attribute("cn", "Crash " + i), new Attribute("sn", "" + i)));
      }
    }
  }

  @AfterAll
  static void stop() {
    slapd.close();
  }

  @Test
  void aWorkerKilledMidSyncLeavesTheJobToAnotherThatSyncsEveryEntryOnce() throws Exception {
    String store = TestServices.freshDatabase();
    Map<String, String> env = Map.ofEntries(Map.entry("AUTHGATE_ROLES", "sync-worker"),
        Map.entry("AUTHGATE_LDAP_URL", slapd.url()), Map.entry("AUTHGATE_LDAP_BASE_DN", Slapd.BASE_DN),
        Map.entry("AUTHGATE_LDAP_BIND_DN", Slapd.ADMIN_DN), Map.entry("AUTHGATE_LDAP_BIND_PASSWORD", Slapd.ADMIN_PASSWORD),
        Map.entry("AUTHGATE_DIRECTORIES_0_USER_SEARCH_BASE", "ou=people," + Slapd.BASE_DN),
        Map.entry("AUTHGATE_POSTGRES_URL", store), Map.entry("AUTHGATE_SYNC_SYNC_INTERVAL", "0"),
        Map.entry("AUTHGATE_SYNC_HEALTH_INTERVAL", "0"), Map.entry("AUTHGATE_SYNC_PAGE_SIZE", "25"),
        Map.entry("AUTHGATE_SYNC_LEASE", "3s"), Map.entry("AUTHGATE_SYNC_POLL_INTERVAL", "200ms"),
        Map.entry("AUTHGATE_SYNC_BACKOFF", "200ms"), Map.entry("AUTHGATE_SYNC_OPS_PORT", "0"));
    Path workDir = Files.createTempDirectory("authgate-crash");
    UUID job;
    try (ServerProcess first = ServerProcess.start(workDir, env)) {
      first.awaitOutput("Press Ctrl-C to stop.", 120);
      job = UUID.fromString(query(store, "INSERT INTO jobs (type, payload) VALUES ('directory.sync', "
          + "'{\"directory\": \"default\", \"mode\": \"full\", \"dryRun\": false}') RETURNING id"));
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (Long.parseLong(query(store, "SELECT progress_done FROM jobs WHERE id = '" + job + "'")) < 1000
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      first.kill();
    }
    long doneAtKill = Long.parseLong(query(store, "SELECT progress_done FROM jobs WHERE id = '" + job + "'"));
    assertThat(doneAtKill).as("killed in the middle").isBetween(1000L, PEOPLE - 1L);
    assertThat(query(store, "SELECT status FROM jobs WHERE id = '" + job + "'")).isEqualTo("running");

    try (ServerProcess second = ServerProcess.start(workDir, env)) {
      second.awaitOutput("Press Ctrl-C to stop.", 120);
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (!query(store, "SELECT status FROM jobs WHERE id = '" + job + "'").equals("succeeded")
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      second.terminate();
      second.awaitExit(30);
    }
    assertThat(query(store, "SELECT status FROM jobs WHERE id = '" + job + "'")).isEqualTo("succeeded");
    assertThat(query(store, "SELECT attempts FROM jobs WHERE id = '" + job + "'")).isEqualTo("2");
    int expected = PEOPLE + 10;
    assertThat(query(store, "SELECT result->>'entries' FROM jobs WHERE id = '" + job + "'"))
        .as("every entry counted once").isEqualTo(Integer.toString(expected));
    assertThat(query(store, "SELECT result->>'created' FROM jobs WHERE id = '" + job + "'"))
        .isEqualTo(Integer.toString(expected - 1));
    assertThat(query(store, "SELECT count(*) FROM users")).isEqualTo(Integer.toString(expected - 1));
    assertThat(query(store, "SELECT count(DISTINCT lower(username)) FROM users"))
        .isEqualTo(Integer.toString(expected - 1));
    assertThat(query(store, "SELECT count(*) FROM resources")).as("no orphan from the killed transaction")
        .isEqualTo(Integer.toString(expected - 1 + 3));
  }

  private static String query(String url, String sql) throws Exception {
    try (Connection c = TestServices.jdbc(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
