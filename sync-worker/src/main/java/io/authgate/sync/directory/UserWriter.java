package io.authgate.sync.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The store side of user sync, a page at a time with multi-row statements: the accounts that may
 * match a page, and the plan's creates, updates and last-sync stamps. Thread-safe.
 */
final class UserWriter {
  private static final String CANDIDATES = "SELECT " + StoredUser.COLUMNS + " FROM users u "
      + "JOIN resources r ON r.id = u.resource_id AND NOT r.deleted "
      + "WHERE (u.directory_id = $1 AND u.external_id = ANY($2)) OR lower(u.username) = ANY($3)";
  private static final String INSERT_RESOURCES = """
      INSERT INTO resources (id, type, typename, displayname, identifier, source_system)
      SELECT v.id, 'user', 'User', v.shown, v.username, $1 FROM unnest($2::uuid[], $3::text[], $4::text[])
        AS v(id, shown, username)""";
  private static final String INSERT_USERS = """
      INSERT INTO users (resource_id, directory_id, username, ldap_dn, external_id, email, first_name, last_name,
                         display_name, department, employee_type, manager, status, provisioning_method, last_sync_at)
      SELECT v.id, $1, v.username, v.dn, v.external_id, v.email, v.first_name, v.last_name, v.display_name,
             v.department, v.employee_type, v.manager, 'active', 'ldap_sync', now()
      FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                  $10::text[], $11::text[], $12::text[])
        AS v(id, username, dn, external_id, email, first_name, last_name, display_name, department, employee_type,
             manager)""";
  private static final String UPDATE_USERS = """
      UPDATE users u SET username = v.username, ldap_dn = v.dn, external_id = v.external_id, email = v.email,
        first_name = v.first_name, last_name = v.last_name, display_name = v.display_name, department = v.department,
        employee_type = v.employee_type, manager = v.manager,
        status = CASE WHEN v.suspend THEN 'suspended' ELSE u.status END, last_sync_at = now()
      FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                  $9::text[], $10::text[], $11::text[], $12::boolean[])
        AS v(id, username, dn, external_id, email, first_name, last_name, display_name, department, employee_type,
             manager, suspend)
      WHERE u.resource_id = v.id""";
  private static final String TOUCH = "UPDATE users SET last_sync_at = now() WHERE resource_id = ANY($1)";
  private static final String ABSENT = " FROM resources r WHERE r.id = u.resource_id AND NOT r.deleted "
      + "AND u.directory_id = $1 AND u.external_id IS NOT NULL AND u.status = 'active' ";
  private static final String SUSPEND_ABSENT = "UPDATE users u SET status = 'suspended'" + ABSENT
      + "AND (u.last_sync_at IS NULL OR u.last_sync_at < $2)";
  private static final String COUNT_ABSENT = "SELECT count(*) FROM users u JOIN resources r ON r.id = u.resource_id "
      + "WHERE NOT r.deleted AND u.directory_id = $1 AND u.external_id IS NOT NULL AND u.status = 'active' "
      + "AND NOT (u.external_id = ANY($2))";
  private static final String LIVE_SYNCED = "SELECT count(*) FROM users WHERE directory_id = $1 "
      + "AND external_id IS NOT NULL AND status = 'active'";

  private final UUID directoryId;
  private final String directoryName;

  UserWriter(UUID directoryId, String directoryName) {
    this.directoryId = directoryId;
    this.directoryName = directoryName;
  }

  /** @return the accounts that may match the entries (see {@link UserPlanner#plan}) */
  Future<List<StoredUser>> candidates(SqlClient client, List<DirectoryEntry> entries) {
    String[] ids = entries.stream().map(DirectoryEntry::externalId).filter(java.util.Objects::nonNull)
        .toArray(String[]::new);
    String[] names = entries.stream().map(DirectoryEntry::username).filter(java.util.Objects::nonNull)
        .map(UserPlanner::key).toArray(String[]::new);
    return client.preparedQuery(CANDIDATES).execute(Tuple.of(directoryId, ids, names)).map(rows -> {
      List<StoredUser> users = new ArrayList<>();
      rows.forEach(row -> users.add(StoredUser.of(row)));
      return users;
    });
  }

  /** Writes the plan through the client (the page's transaction). */
  Future<Void> apply(SqlClient client, UserPlan plan) {
    Future<Void> done = Future.succeededFuture();
    if (!plan.creates().isEmpty()) {
      List<DirectoryEntry> c = plan.creates();
      UUID[] ids = c.stream().map(e -> UUID.randomUUID()).toArray(UUID[]::new);
      String[] shown = c.stream().map(e -> e.displayName() != null ? e.displayName() : e.username())
          .toArray(String[]::new);
      done = done.compose(v -> client.preparedQuery(INSERT_RESOURCES)
              .execute(Tuple.of(directoryName, ids, shown, strings(c, DirectoryEntry::username))))
          .compose(v -> client.preparedQuery(INSERT_USERS).execute(Tuple.from(new Object[] {directoryId, ids,
              strings(c, DirectoryEntry::username), strings(c, DirectoryEntry::dn), strings(c, DirectoryEntry::externalId),
              strings(c, DirectoryEntry::email), strings(c, DirectoryEntry::firstName), strings(c, DirectoryEntry::lastName),
              strings(c, DirectoryEntry::displayName), strings(c, DirectoryEntry::department),
              strings(c, DirectoryEntry::employeeType), strings(c, DirectoryEntry::manager)})))
          .mapEmpty();
    }
    if (!plan.updates().isEmpty()) {
      List<UserPlan.Update> u = plan.updates();
      List<DirectoryEntry> e = u.stream().map(UserPlan.Update::entry).toList();
      done = done.compose(v -> client.preparedQuery(UPDATE_USERS).execute(Tuple.from(new Object[] {
          u.stream().map(UserPlan.Update::id).toArray(UUID[]::new), strings(e, DirectoryEntry::username),
          strings(e, DirectoryEntry::dn), strings(e, DirectoryEntry::externalId), strings(e, DirectoryEntry::email),
          strings(e, DirectoryEntry::firstName), strings(e, DirectoryEntry::lastName),
          strings(e, DirectoryEntry::displayName), strings(e, DirectoryEntry::department),
          strings(e, DirectoryEntry::employeeType), strings(e, DirectoryEntry::manager),
          u.stream().map(UserPlan.Update::suspend).toArray(Boolean[]::new)}))).mapEmpty();
    }
    if (!plan.touched().isEmpty()) {
      done = done.compose(v -> client.preparedQuery(TOUCH)
          .execute(Tuple.of((Object) plan.touched().toArray(UUID[]::new)))).mapEmpty();
    }
    return done;
  }

  /** @return how many active accounts of the directory came from (or were matched with) it */
  Future<Long> liveSynced(SqlClient client) {
    return client.preparedQuery(LIVE_SYNCED).execute(Tuple.of(directoryId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Suspends active accounts of the directory not seen since {@code runStart}. @return how many */
  Future<Integer> suspendAbsent(SqlClient client, Instant runStart) {
    return client.preparedQuery(SUSPEND_ABSENT).execute(Tuple.of(directoryId, OffsetDateTime.ofInstant(runStart,
        ZoneOffset.UTC))).map(rows -> rows.rowCount());
  }

  /** @return how many active accounts of the directory a real run would suspend, given the ids seen */
  Future<Long> countAbsent(SqlClient client, Set<String> seen) {
    return client.preparedQuery(COUNT_ABSENT).execute(Tuple.of(directoryId, (Object) seen.toArray(String[]::new)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static String[] strings(List<DirectoryEntry> entries, Function<DirectoryEntry, String> field) {
    return entries.stream().map(field).toArray(String[]::new);
  }
}
