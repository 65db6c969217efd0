package io.authgate.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.authgate.core.jobs.Job;
import io.authgate.core.jobs.JobStatus;
import io.authgate.core.jobs.JobTypes;
import io.authgate.core.jobs.NewJob;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Provisioning from the store to a real OpenLDAP: created, updated, locked, unlocked, and idempotent. */
@ExtendWith(NoBlockedThreads.class)
class ProvisioningIT {
  private static final String OU = "ou=people," + Slapd.BASE_DN;
  private SyncHarness harness;
  private UUID directoryId;

  @BeforeEach
  void start() {
    harness = SyncHarness.start("syncInterval: 0, healthInterval: 0, pollInterval: 200ms, pageSize: 2",
        "provisioning: {enabled: true, baseDn: \"" + OU + "\"}");
    harness.startNode();
    directoryId = harness.one("SELECT id FROM directories WHERE name = 'corp'").getUUID(0);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private JsonObject provision() throws InterruptedException {
    Job job = harness.run(NewJob.of(JobTypes.DIRECTORY_PROVISION, new JsonObject().put(JobTypes.DIRECTORY, "corp"),
        "test").withMaxAttempts(1));
    assertThat(job.status()).as("%s", job.error()).isEqualTo(JobStatus.SUCCEEDED);
    return job.result();
  }

  private UUID account(String username, String email, String first, String last, String status, String method) {
    UUID id = harness.one("INSERT INTO resources (type, identifier) VALUES ('user', $1) RETURNING id", username)
        .getUUID(0);
    harness.rows("INSERT INTO users (resource_id, directory_id, username, email, first_name, last_name, status, "
        + "provisioning_method) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", id, directoryId, username, email, first, last,
        status, method);
    return id;
  }

  private SearchResultEntry entry(String uid) throws Exception {
    try (LDAPConnection admin = harness.slapd.adminConnection()) {
      return admin.getEntry("uid=" + uid + "," + OU, "*", "+");
    }
  }

  @Test
  void accountsAreCreatedUpdatedLockedAndUnlockedAndASecondRunChangesNothing() throws Exception {
    UUID newbie = account("newbie", "newbie@example.org", "New", "Bie", "active", "manual");
    account("imported", "imp@example.org", null, null, "active", "import");
    account("never", null, null, null, "suspended", "manual");
    account("alice", "alice@example.org", null, null, "active", "ldap_sync");

    JsonObject first = provision();
    assertThat(first.getLong("created")).isEqualTo(2);
    assertThat(first.getLong("skipped")).as("suspended, never provisioned").isEqualTo(1);
    SearchResultEntry created = entry("newbie");
    assertThat(created.getAttributeValue("mail")).isEqualTo("newbie@example.org");
    assertThat(created.getAttributeValue("cn")).isEqualTo("New Bie");
    assertThat(created.getAttributeValue("sn")).isEqualTo("Bie");
    assertThat(created.getAttributeValue("givenName")).isEqualTo("New");
    assertThat(entry("imported").getAttributeValue("sn")).isEqualTo("imported");
    var linked = harness.one("SELECT ldap_dn, external_id FROM users WHERE resource_id = $1", newbie);
    assertThat(linked.getString(0)).isEqualTo("uid=newbie," + OU);
    assertThat(linked.getString(1)).isEqualTo(created.getAttributeValue("entryUUID"));
    assertThat(entry("alice").getAttributeValue("mail")).as("ldap_sync accounts are not written back")
        .isEqualTo("alice@example.org");

    String stamp = entry("newbie").getAttributeValue("modifyTimestamp");
    Thread.sleep(1100);
    JsonObject second = provision();
    assertThat(second.getLong("created") + second.getLong("updated")).isZero();
    assertThat(entry("newbie").getAttributeValue("modifyTimestamp")).as("untouched").isEqualTo(stamp);

    harness.rows("UPDATE users SET email = 'nb@example.org', first_name = NULL WHERE resource_id = $1", newbie);
    JsonObject third = provision();
    assertThat(third.getLong("updated")).isEqualTo(1);
    assertThat(entry("newbie").getAttributeValue("mail")).isEqualTo("nb@example.org");
    assertThat(entry("newbie").hasAttribute("givenName")).isFalse();

    harness.rows("UPDATE users SET status = 'suspended' WHERE resource_id = $1", newbie);
    assertThat(provision().getLong("disabled")).isEqualTo(1);
    assertThat(entry("newbie").getAttributeValue("pwdAccountLockedTime")).isEqualTo("000001010000Z");

    harness.rows("UPDATE users SET status = 'active' WHERE resource_id = $1", newbie);
    assertThat(provision().getLong("enabled")).isEqualTo(1);
    assertThat(entry("newbie").hasAttribute("pwdAccountLockedTime")).isFalse();
  }

  /**
   * A lock ppolicy set after failed binds is slapd's: provisioning neither lifts it from an active
   * account nor takes it for the lock of a suspended one, which must outlast it.
   */
  @Test
  void aLockAfterFailedBindsIsNeitherLiftedNorTakenForASuspension() throws Exception {
    UUID account = account("guessed", "guessed@example.org", null, null, "active", "manual");
    assertThat(provision().getLong("created")).isEqualTo(1);
    try (LDAPConnection admin = harness.slapd.adminConnection()) {
      admin.modify("uid=guessed," + OU, new Modification(ModificationType.ADD, "pwdAccountLockedTime",
          "20261124231441Z"));
    }
    JsonObject again = provision();
    assertThat(again.getLong("enabled") + again.getLong("updated")).isZero();
    assertThat(entry("guessed").getAttributeValue("pwdAccountLockedTime")).isEqualTo("20261124231441Z");

    harness.rows("UPDATE users SET status = 'suspended' WHERE resource_id = $1", account);
    assertThat(provision().getLong("disabled")).isEqualTo(1);
    assertThat(entry("guessed").getAttributeValue("pwdAccountLockedTime")).isEqualTo("000001010000Z");
  }
}
