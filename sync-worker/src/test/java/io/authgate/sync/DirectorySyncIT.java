package io.authgate.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.authgate.core.jobs.Job;
import io.authgate.core.jobs.JobStatus;
import io.authgate.core.jobs.JobTypes;
import io.authgate.core.jobs.NewJob;
import io.authgate.core.jobs.SyncRequest;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.authgate.sync.directory.DirectorySyncJob;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Directory sync from a real OpenLDAP into a real store, through the job engine: full and
 * incremental sync, disabled and deleted entries, conflicts, dry runs, groups by mark and sweep.
 * The seeded directory has ten people (one of them locked by ppolicy) and three member groups.
 */
@ExtendWith(NoBlockedThreads.class)
class DirectorySyncIT {
  private static final String PEOPLE = "ou=people," + Slapd.BASE_DN;
  private static final String GROUPS = "ou=groups," + Slapd.BASE_DN;
  private SyncHarness harness;

  @BeforeEach
  void start() {
    harness = SyncHarness.start("syncInterval: 0, healthInterval: 0, pollInterval: 200ms, pageSize: 3, backoff: [200ms], maxAttempts: 2");
    harness.startNode();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private JsonObject sync(String mode, boolean dryRun) throws InterruptedException {
    Job job = harness.run(new SyncRequest(SyncHarness.DIRECTORY,
        SyncRequest.Mode.byId(mode).orElseThrow(), dryRun).toJob("test").withMaxAttempts(1));
    assertThat(job.status()).as("job %s: %s", job.id(), job.error()).isEqualTo(JobStatus.SUCCEEDED);
    return job.result();
  }

  private Row user(String username) {
    return harness.one("SELECT u.*, r.source_system FROM users u JOIN resources r ON r.id = u.resource_id "
        + "WHERE username = $1", username);
  }

  private List<String> liveMembers(String group) {
    return harness.rows("SELECT m.member_name FROM group_members m JOIN resources g ON g.id = m.group_id "
        + "WHERE g.displayname = $1 AND NOT m.removed ORDER BY m.member_name", group)
        .stream().map(r -> r.getString(0)).toList();
  }

  private void modify(String dn, Modification... changes) throws Exception {
    try (LDAPConnection admin = harness.slapd.adminConnection()) {
      admin.modify(dn, changes);
    }
  }

  @Test
  void aFullSyncCreatesAccountsAndGroupsAndASecondChangesNothing() throws Exception {
    JsonObject report = sync(DirectorySyncJob.FULL, false);
    assertThat(report.getLong("entries")).isEqualTo(10);
    assertThat(report.getLong("created")).isEqualTo(9);
    assertThat(report.getLong("skipped")).as("the locked entry is not created").isEqualTo(1);
    assertThat(report.getLong("conflicted")).isZero();

    Row alice = user("alice");
    assertThat(alice.getString("email")).isEqualTo("alice@example.org");
    assertThat(alice.getString("display_name")).isEqualTo("Alice Liddell");
    assertThat(alice.getString("last_name")).isEqualTo("Liddell");
    assertThat(alice.getString("status")).isEqualTo("active");
    assertThat(alice.getString("provisioning_method")).isEqualTo("ldap_sync");
    assertThat(alice.getString("ldap_dn")).isEqualTo("uid=alice," + PEOPLE);
    assertThat(alice.getString("source_system")).isEqualTo(SyncHarness.DIRECTORY);
    try (LDAPConnection admin = harness.slapd.adminConnection()) {
      assertThat(alice.getString("external_id"))
          .isEqualTo(admin.getEntry("uid=alice," + PEOPLE, "entryUUID").getAttributeValue("entryUUID"));
    }
    assertThat(harness.count("SELECT count(*) FROM users WHERE username = 'locked'")).isZero();
    assertThat(liveMembers("developers")).containsExactly("alice", "bob");
    assertThat(liveMembers("staff")).containsExactly("alice", "carol");
    assertThat(liveMembers("admins")).containsExactly("alice");
    assertThat(report.getJsonObject("groups").getLong("membershipsAdded")).isEqualTo(5);
    Job job = harness.jobs.list(new io.authgate.core.jobs.JobQuery(null, null, null, null, 1)).await().items().get(0);
    assertThat(job.progressDone()).isEqualTo(10);

    OffsetDateTime updated = alice.getOffsetDateTime("updated_at");
    JsonObject again = sync(DirectorySyncJob.FULL, false);
    assertThat(again.getLong("created")).isZero();
    assertThat(again.getLong("updated")).isZero();
    assertThat(again.getLong("unchanged")).isEqualTo(9);
    assertThat(again.getJsonObject("groups").getLong("membershipsAdded")).isZero();
    assertThat(again.getJsonObject("groups").getLong("membershipsRemoved")).isZero();
    assertThat(user("alice").getOffsetDateTime("updated_at")).as("nothing changed").isEqualTo(updated);
    assertThat(user("alice").getOffsetDateTime("last_sync_at")).isAfter(alice.getOffsetDateTime("last_sync_at"));
    assertThat(harness.count("SELECT count(*) FROM users")).isEqualTo(9);
  }

  @Test
  void anIncrementalSyncReadsOnlyWhatChangedSinceTheLastOne() throws Exception {
    sync(DirectorySyncJob.FULL, false);
    Thread.sleep(1100);
    modify("uid=bob," + PEOPLE, new Modification(ModificationType.REPLACE, "mail", "robert@example.org"));
    JsonObject first = sync(DirectorySyncJob.INCREMENTAL, false);
    assertThat(first.getString("mode")).isEqualTo("incremental");
    assertThat(first.getLong("updated")).isEqualTo(1);
    assertThat(user("bob").getString("email")).isEqualTo("robert@example.org");

    Thread.sleep(1100);
    OffsetDateTime aliceUpdated = user("alice").getOffsetDateTime("updated_at");
    modify("uid=carol," + PEOPLE, new Modification(ModificationType.REPLACE, "displayName", "Captain Marvel"));
    JsonObject second = sync(DirectorySyncJob.AUTO, false);
    assertThat(second.getString("mode")).as("auto: the last full sync is recent").isEqualTo("incremental");
    assertThat(second.getLong("entries")).as("bob (at the watermark) and carol").isEqualTo(2);
    assertThat(second.getLong("updated")).isEqualTo(1);
    assertThat(user("carol").getString("display_name")).isEqualTo("Captain Marvel");
    assertThat(user("alice").getOffsetDateTime("updated_at")).isEqualTo(aliceUpdated);
  }

  @Test
  void accountsGoneFromTheDirectoryOrDisabledThereAreSuspendedNeverDeleted() throws Exception {
    sync(DirectorySyncJob.FULL, false);
    try (LDAPConnection admin = harness.slapd.adminConnection()) {
      admin.modify("cn=developers," + GROUPS, new Modification(ModificationType.DELETE, "member", "uid=dave," + PEOPLE));
      admin.delete("uid=dave," + PEOPLE);
    } catch (com.unboundid.ldap.sdk.LDAPException notAMember) {
      try (LDAPConnection admin = harness.slapd.adminConnection()) {
        admin.delete("uid=dave," + PEOPLE);
      }
    }
    modify("uid=zoe," + PEOPLE, new Modification(ModificationType.ADD, "pwdAccountLockedTime", "000001010000Z"));
    // A lock ppolicy set after failed binds ends with its duration: no suspension, which would outlast it.
    modify("uid=carol," + PEOPLE, new Modification(ModificationType.ADD, "pwdAccountLockedTime", "20261124231441Z"));

    JsonObject report = sync(DirectorySyncJob.FULL, false);
    assertThat(report.getLong("deactivated")).isEqualTo(2);
    assertThat(user("dave").getString("status")).isEqualTo("suspended");
    assertThat(user("zoe").getString("status")).isEqualTo("suspended");
    assertThat(user("carol").getString("status")).isEqualTo("active");
    assertThat(user("alice").getString("status")).isEqualTo("active");
    assertThat(harness.count("SELECT count(*) FROM users WHERE status = 'active'")).isEqualTo(7);
  }

  @Test
  void membershipsNoLongerInTheDirectoryAreSweptAfterAFullUpdate() throws Exception {
    sync(DirectorySyncJob.FULL, false);
    modify("cn=developers," + GROUPS, new Modification(ModificationType.DELETE, "member", "uid=bob," + PEOPLE));
    try (LDAPConnection admin = harness.slapd.adminConnection()) {
      admin.delete("cn=admins," + GROUPS);
    }
    JsonObject report = sync(DirectorySyncJob.FULL, false);
    JsonObject groups = report.getJsonObject("groups");
    assertThat(groups.getLong("membershipsRemoved")).isEqualTo(2);
    assertThat(groups.getLong("groupsRemoved")).isEqualTo(1);
    assertThat(liveMembers("developers")).containsExactly("alice");
    Row swept = harness.one("SELECT m.removed, m.removed_at FROM group_members m JOIN resources g ON g.id = m.group_id "
        + "WHERE g.displayname = 'developers' AND m.member_name = 'bob'");
    assertThat(swept.getBoolean("removed")).isTrue();
    assertThat(swept.getOffsetDateTime("removed_at")).isNotNull();
    assertThat(harness.count("SELECT count(*) FROM resources WHERE type = 'group' AND displayname = 'admins' "
        + "AND deleted")).isEqualTo(1);
    Row last = harness.one("SELECT id, status FROM operations ORDER BY created DESC LIMIT 1");
    assertThat(last.getString("status")).isEqualTo("complete");
    assertThat(harness.count("SELECT count(*) FROM group_members WHERE NOT removed AND last_operation_id <> $1",
        last.getUUID("id"))).isZero();
    assertThat(harness.count("SELECT count(*) FROM operations WHERE type = 'full-update' AND status = 'complete'"))
        .isEqualTo(2);
  }

  @Test
  void anIncrementalSyncUpdatesTheChangedGroupsPartiallyAndTouchesNoOther() throws Exception {
    sync(DirectorySyncJob.FULL, false);
    Thread.sleep(1100); // modifyTimestamp has a one-second grain
    modify("cn=developers," + GROUPS, new Modification(ModificationType.DELETE, "member", "uid=bob," + PEOPLE),
        new Modification(ModificationType.ADD, "member", "uid=carol," + PEOPLE));
    // A membership of an unchanged group that the store holds and the directory does not: a partial
    // update must leave it alone (only a full update sweeps).
    harness.rows("UPDATE group_members m SET last_operation_id = NULL FROM resources g WHERE g.id = m.group_id "
        + "AND g.displayname = 'staff'");

    JsonObject report = sync(DirectorySyncJob.INCREMENTAL, false);
    JsonObject groups = report.getJsonObject("groups");
    assertThat(groups.getString("type")).isEqualTo("partial-update");
    // The groups changed since the watermark: developers, and any stamped in the watermark's second.
    assertThat(groups.getLong("groups")).isBetween(1L, 3L);
    assertThat(groups.getLong("membershipsAdded")).isEqualTo(1);
    assertThat(groups.getLong("membershipsRemoved")).isEqualTo(1);
    assertThat(liveMembers("developers")).containsExactly("alice", "carol");
    assertThat(liveMembers("staff")).containsExactly("alice", "carol");
    assertThat(liveMembers("admins")).containsExactly("alice");
    assertThat(harness.count("SELECT count(*) FROM group_members m JOIN resources g ON g.id = m.group_id "
        + "WHERE g.displayname = 'staff' AND m.last_operation_id IS NOT NULL")).as("staff untouched").isZero();
    Row operation = harness.one("SELECT id, type, status FROM operations ORDER BY created DESC LIMIT 1");
    assertThat(operation.getString("type")).isEqualTo("partial-update");
    assertThat(operation.getString("status")).isEqualTo("complete");
    Row carol = harness.one("SELECT m.last_operation_id FROM group_members m JOIN resources g ON g.id = m.group_id "
        + "WHERE g.displayname = 'developers' AND m.member_name = 'carol'");
    assertThat(carol.getUUID(0)).isEqualTo(operation.getUUID("id"));
    Row bob = harness.one("SELECT m.removed, m.last_operation_id FROM group_members m JOIN resources g "
        + "ON g.id = m.group_id WHERE g.displayname = 'developers' AND m.member_name = 'bob'");
    assertThat(bob.getBoolean("removed")).isTrue();
    assertThat(bob.getUUID("last_operation_id")).isEqualTo(operation.getUUID("id"));
  }

  @Test
  void aDryRunReportsWhatARealRunDoesAndWritesNothing() throws Exception {
    JsonObject dry = sync(DirectorySyncJob.FULL, true);
    assertThat(dry.getBoolean("dryRun")).isTrue();
    assertThat(dry.getLong("created")).isEqualTo(9);
    assertThat(harness.count("SELECT count(*) FROM users")).isZero();
    assertThat(harness.count("SELECT count(*) FROM resources")).isZero();
    sync(DirectorySyncJob.FULL, false);

    modify("uid=alice," + PEOPLE, new Modification(ModificationType.REPLACE, "mail", "alice@wonderland.example"));
    try (LDAPConnection admin = harness.slapd.adminConnection()) {
      admin.delete("uid=dave," + PEOPLE);
    }
    JsonObject preview = sync(DirectorySyncJob.FULL, true);
    assertThat(preview.getLong("updated")).isEqualTo(1);
    assertThat(preview.getLong("deactivated")).isEqualTo(1);
    assertThat(preview.getLong("unchanged")).isEqualTo(7);
    assertThat(user("alice").getString("email")).isEqualTo("alice@example.org");
    assertThat(user("dave").getString("status")).isEqualTo("active");

    JsonObject real = sync(DirectorySyncJob.FULL, false);
    for (String count : List.of("entries", "created", "updated", "unchanged", "skipped", "conflicted", "deactivated")) {
      assertThat(real.getLong(count)).as(count).isEqualTo(preview.getLong(count));
    }
    assertThat(user("alice").getString("email")).isEqualTo("alice@wonderland.example");
  }

  @Test
  void conflictsAreReportedAndLeftAlone() throws Exception {
    java.util.UUID local = insertUser(null, "carol", null);
    java.util.UUID directoryId = harness.one("SELECT id FROM directories WHERE name = 'corp'").getUUID(0);
    java.util.UUID clash = insertUser(directoryId, "bob", "00000000-0000-0000-0000-000000000000");

    JsonObject report = sync(DirectorySyncJob.FULL, false);
    assertThat(report.getLong("conflicted")).isEqualTo(2);
    assertThat(report.getJsonArray("conflicts").stream().map(c -> ((JsonObject) c).getString("username") + ":"
        + ((JsonObject) c).getString("reason")))
        .containsExactlyInAnyOrder("carol:username-in-another-directory", "bob:identifier-clash");
    assertThat(harness.count("SELECT count(*) FROM users WHERE lower(username) = 'carol'")).isEqualTo(1);
    assertThat(harness.one("SELECT email FROM users WHERE resource_id = $1", clash).getString(0)).isNull();
    assertThat(harness.one("SELECT directory_id FROM users WHERE resource_id = $1", local).getUUID(0)).isNull();
  }

  private java.util.UUID insertUser(java.util.UUID directory, String username, String externalId) {
    java.util.UUID id = harness.one("INSERT INTO resources (type, identifier) VALUES ('user', $1) RETURNING id",
        username).getUUID(0);
    harness.rows("INSERT INTO users (resource_id, directory_id, username, external_id, status, provisioning_method) "
        + "VALUES ($1, $2, $3, $4, 'active', 'manual')", id, directory, username, externalId);
    return id;
  }
}
