package io.authgate.sync.directory;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.ProvisioningConfig;
import io.authgate.core.directory.ldap.OpenLdapDialect;
import io.authgate.sync.jobs.JobContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One attempt of provisioning a directory: the directory's accounts that did not come from it,
 * changed after the last run's start and before this one's, a page at a time in {@code updated_at}
 * order. Active accounts without an entry get one (and the store records its DN and entryUUID);
 * active accounts with one get only the attributes that differ, and are unlocked if locked;
 * suspended and deprovisioned ones are locked or deleted per policy. Each page ends with one
 * transaction: the new DNs and the checkpoint. Not thread-safe: one per attempt.
 */
final class ProvisionRun {
  private static final String PAGE = "SELECT " + ProvisionedAccount.COLUMNS + " FROM users u "
      + "JOIN resources r ON r.id = u.resource_id AND NOT r.deleted "
      + "WHERE u.directory_id = $1 AND u.provisioning_method <> 'ldap_sync' AND u.updated_at <= $2 "
      + "AND (u.updated_at, u.resource_id) > ($3, $4) ORDER BY u.updated_at, u.resource_id LIMIT $5";
  private static final String LINK = "UPDATE users u SET ldap_dn = v.dn, external_id = v.external_id "
      + "FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, dn, external_id) WHERE u.resource_id = v.id";
  private static final String READ_STATE = "SELECT provisioned_until FROM directory_sync_state WHERE directory_id = $1";
  private static final String SAVE_STATE = "INSERT INTO directory_sync_state (directory_id, provisioned_until) "
      + "VALUES ($1, $2) ON CONFLICT (directory_id) DO UPDATE SET provisioned_until = EXCLUDED.provisioned_until, "
      + "updated_at = now()";
  private static final OffsetDateTime BEGINNING = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final UUID NO_ID = new UUID(0, 0);
  private static final String ENTRY_UUID = "entryUUID";
  private static final String[] COUNTS = {"created", "updated", "unchanged", "disabled", "enabled", "deleted",
      "skipped"};

  private final JobContext context;
  private final Pool pool;
  private final DirectoryConfig directory;
  private final ProvisioningConfig config;
  private final UUID directoryId;
  private final int pageSize;
  private OffsetDateTime runStart;
  private OffsetDateTime afterTime;
  private UUID afterId;
  private JsonObject report;
  private LdapReader ldap;

  /** A page's LDAP outcome: the entries created, to link in the store. */
  private record Created(UUID id, String dn, String externalId) {}

  ProvisionRun(JobContext context, Pool pool, DirectoryConfig directory, UUID directoryId, int pageSize) {
    this.context = context;
    this.pool = pool;
    this.directory = directory;
    this.config = directory.provisioning();
    this.directoryId = directoryId;
    this.pageSize = pageSize;
  }

  Future<JsonObject> run() {
    return prepare()
        .compose(v -> context.vertx().executeBlocking(() -> ldap = LdapReader.open(directory)))
        .compose(v -> pages())
        .compose(v -> pool.preparedQuery(SAVE_STATE).execute(Tuple.of(directoryId, runStart)))
        .map(v -> report.copy())
        .eventually(() -> ldap == null ? Future.succeededFuture() : context.vertx().executeBlocking(() -> {
          ldap.close();
          return null;
        }));
  }

  private Future<Void> prepare() {
    JsonObject saved = context.checkpoint();
    if (saved != null && saved.containsKey("runStart")) {
      runStart = OffsetDateTime.parse(saved.getString("runStart"));
      afterTime = OffsetDateTime.parse(saved.getString("afterTime"));
      afterId = UUID.fromString(saved.getString("afterId"));
      report = saved.getJsonObject("report");
      return Future.succeededFuture();
    }
    report = new JsonObject().put("directory", directory.name());
    for (String count : COUNTS) {
      report.put(count, 0L);
    }
    afterId = NO_ID;
    return pool.query("SELECT now()").execute().compose(rows -> {
      runStart = rows.iterator().next().getOffsetDateTime(0);
      return pool.preparedQuery(READ_STATE).execute(Tuple.of(directoryId));
    }).map(rows -> {
      OffsetDateTime until = rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime(0);
      afterTime = until == null ? BEGINNING : until;
      return null;
    });
  }

  private Future<Void> pages() {
    return context.stillOurs()
        .compose(v -> pool.preparedQuery(PAGE).execute(Tuple.of(directoryId, runStart, afterTime, afterId, pageSize)))
        .compose(rows -> {
          List<ProvisionedAccount> accounts = new ArrayList<>();
          rows.forEach(row -> accounts.add(ProvisionedAccount.of(row)));
          if (accounts.isEmpty()) {
            return Future.succeededFuture();
          }
          return context.vertx().executeBlocking(() -> write(accounts)).compose(created -> {
            ProvisionedAccount last = accounts.get(accounts.size() - 1);
            afterTime = last.updatedAt();
            afterId = last.id();
            JsonObject checkpoint = new JsonObject().put("runStart", runStart.toString())
                .put("afterTime", afterTime.toString()).put("afterId", afterId.toString()).put("report", report);
            long done = java.util.Arrays.stream(COUNTS).mapToLong(report::getLong).sum();
            return pool.withTransaction(tx -> (created.isEmpty() ? Future.succeededFuture()
                : tx.preparedQuery(LINK).execute(Tuple.of(created.stream().map(Created::id).toArray(UUID[]::new),
                    created.stream().map(Created::dn).toArray(String[]::new),
                    created.stream().map(Created::externalId).toArray(String[]::new))).mapEmpty())
                .compose(v -> context.checkpoint(tx, checkpoint, done, 0, null)));
          }).compose(v -> accounts.size() < pageSize ? Future.succeededFuture() : pages());
        });
  }

  /** Writes a page to the directory. Blocking: runs on a worker thread. */
  private List<Created> write(List<ProvisionedAccount> accounts) throws LDAPException {
    List<Created> created = new ArrayList<>();
    for (ProvisionedAccount account : accounts) {
      boolean active = UserPlanner.ACTIVE.equals(account.status());
      boolean gone = "suspended".equals(account.status()) || UserPlanner.DEPROVISIONED.equals(account.status());
      Entry entry = account.ldapDn() == null ? null : ldap.entry(account.ldapDn(), ProvisionedAccount.attributes());
      if (active && entry == null) {
        String dn = account.ldapDn() != null ? account.ldapDn() : account.newDn(config.baseDn().orElseThrow());
        String entryUuid;
        try {
          entryUuid = ldap.add(account.newEntry(dn, config.objectClasses()), ENTRY_UUID);
          count("created");
        } catch (LDAPException e) {
          if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
            throw e;
          }
          Entry existing = ldap.entry(dn, ProvisionedAccount.attributes());
          update(account, existing, dn);
          entryUuid = existing.getAttributeValue(ENTRY_UUID);
        }
        created.add(new Created(account.id(), dn, entryUuid));
      } else if (active) {
        update(account, entry, account.ldapDn());
      } else if (gone && entry != null && config.onSuspend() == ProvisioningConfig.SuspendPolicy.DELETE) {
        ldap.delete(account.ldapDn());
        count("deleted");
      } else if (gone && entry != null && !OpenLdapDialect.lockedByAdministrator(entry)) {
        // Replaces a lock ppolicy set after failed binds too: that one ends with its duration.
        ldap.modify(account.ldapDn(), List.of(new Modification(ModificationType.REPLACE, ProvisionedAccount.LOCKED,
            OpenLdapDialect.LOCKED_BY_ADMINISTRATOR)));
        count("disabled");
      } else if (gone && entry != null) {
        count("unchanged");
      } else {
        count("skipped");
      }
    }
    return created;
  }

  private void update(ProvisionedAccount account, Entry entry, String dn) throws LDAPException {
    List<Modification> changes = new ArrayList<>(account.changes(entry));
    // Only the administrative lock is provisioning's to lift; a lock after failed binds is slapd's.
    boolean unlock = OpenLdapDialect.lockedByAdministrator(entry);
    if (unlock) {
      changes.add(new Modification(ModificationType.DELETE, ProvisionedAccount.LOCKED));
    }
    if (changes.isEmpty()) {
      count("unchanged");
      return;
    }
    ldap.modify(dn, changes);
    count(unlock && changes.size() == 1 ? "enabled" : "updated");
  }

  private void count(String what) {
    report.put(what, report.getLong(what) + 1);
  }
}
