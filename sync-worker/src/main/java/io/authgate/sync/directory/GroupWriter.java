package io.authgate.sync.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The store side of group sync through {@code operations}: a full update records each group (a
 * resource of type group named by its stable id), stamps every membership it sees with its
 * operation, and when complete soft-deletes the directory's memberships the operation did not
 * stamp, in batches that lock only the rows they change. A partial update adds and removes only
 * the memberships it is told of (those of the groups it reads, against what the store holds for
 * them) and sweeps nothing. Thread-safe.
 */
final class GroupWriter {
  /** {@code operations.type} of a full update. */
  static final String FULL_UPDATE = "full-update";
  /** {@code operations.type} of a partial update. */
  static final String PARTIAL_UPDATE = "partial-update";
  /** Memberships soft-deleted per statement of the sweep. */
  static final int SWEEP_BATCH = 1000;
  private static final String START = "INSERT INTO operations (type, status, directory_id, job_id, details) "
      + "VALUES ($4, 'running', $1, $2, $3) RETURNING id";
  private static final String LIVE_MEMBERS = "SELECT group_id, member_id FROM group_members "
      + "WHERE source = $1 AND NOT removed AND group_id = ANY($2)";
  private static final String REMOVE = """
      UPDATE group_members g SET removed = true, removed_at = now(), last_operation_id = $4
      FROM unnest($2::uuid[], $3::uuid[]) AS r(group_id, member_id)
      WHERE g.source = $1 AND NOT g.removed AND g.group_id = r.group_id AND g.member_id = r.member_id""";
  private static final String COMPLETE = "UPDATE operations SET status = 'complete', completed = now(), modified = now(), "
      + "details = details || $2 WHERE id = $1";
  private static final String UPSERT_GROUPS = """
      INSERT INTO resources (type, typename, displayname, identifier, source_system, description)
      SELECT 'group', 'Group', v.name, v.id, $1, v.dn FROM unnest($2::text[], $3::text[], $4::text[]) AS v(id, name, dn)
      ON CONFLICT (source_system, identifier) WHERE type = 'group' AND NOT deleted
      DO UPDATE SET displayname = EXCLUDED.displayname, description = EXCLUDED.description
      RETURNING id, identifier""";
  private static final String MEMBERS = "SELECT resource_id, lower(ldap_dn) AS dn, username FROM users "
      + "WHERE directory_id = $1 AND lower(ldap_dn) = ANY($2)";
  private static final String STAMP = """
      INSERT INTO group_members (group_id, member_id, member_name, source, last_operation_id)
      SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[])
      ON CONFLICT (group_id, member_id, source) DO UPDATE SET last_operation_id = EXCLUDED.last_operation_id,
        member_name = EXCLUDED.member_name, removed = false, removed_at = NULL
      RETURNING (xmax = 0) AS inserted""";
  private static final String SWEEP = """
      WITH stale AS (SELECT id FROM group_members WHERE source = $1 AND NOT removed
                     AND last_operation_id IS DISTINCT FROM $2 LIMIT $3 FOR UPDATE SKIP LOCKED)
      UPDATE group_members g SET removed = true, removed_at = now() FROM stale WHERE g.id = stale.id""";
  private static final String GONE_GROUPS = "UPDATE resources SET deleted = true, deleted_at = now() "
      + "WHERE type = 'group' AND source_system = $1 AND NOT deleted AND modified < $2";

  /**
   * A group entry.
   *
   * @param id its stable id
   * @param name its name
   * @param dn its DN
   * @param memberDns the DNs it lists as members
   */
  record GroupEntry(String id, String name, String dn, List<String> memberDns) {}

  private final UUID directoryId;
  private final String source;

  GroupWriter(UUID directoryId, String directoryName) {
    this.directoryId = directoryId;
    this.source = directoryName;
  }

  /** Starts a full-update operation for the directory. @return its id */
  Future<UUID> startOperation(SqlClient client, UUID jobId) {
    return startOperation(client, jobId, FULL_UPDATE);
  }

  /**
   * Starts an operation for the directory.
   *
   * @param type {@link #FULL_UPDATE} or {@link #PARTIAL_UPDATE}
   * @return its id
   */
  Future<UUID> startOperation(SqlClient client, UUID jobId, String type) {
    return client.preparedQuery(START).execute(Tuple.of(directoryId, jobId,
            new io.vertx.core.json.JsonObject().put("source", source), type))
        .map(rows -> rows.iterator().next().getUUID(0));
  }

  /**
   * A partial update of a page of groups: each group's memberships the directory lists and the
   * store lacks are added (stamped with the operation), those the store holds and the directory no
   * longer lists are soft-deleted; memberships of other groups are not touched.
   *
   * @return the memberships added and removed
   */
  Future<int[]> writeDelta(SqlClient client, List<GroupEntry> groups, UUID operation) {
    if (groups.isEmpty()) {
      return Future.succeededFuture(new int[2]);
    }
    return resolve(client, groups).compose(resolved -> client.preparedQuery(LIVE_MEMBERS)
        .execute(Tuple.of(source).addArrayOfUUID(resolved.groupIds().values().toArray(UUID[]::new)))
        .compose(rows -> {
          Set<List<UUID>> stored = new HashSet<>();
          rows.forEach(row -> stored.add(List.of(row.getUUID("group_id"), row.getUUID("member_id"))));
          Set<List<UUID>> listed = new HashSet<>();
          List<Membership> adds = new ArrayList<>();
          for (Membership m : resolved.memberships()) {
            List<UUID> pair = List.of(m.group(), m.member());
            if (listed.add(pair) && !stored.contains(pair)) {
              adds.add(m);
            }
          }
          List<List<UUID>> removes = stored.stream().filter(pair -> !listed.contains(pair)).toList();
          return stamp(client, adds, operation).compose(added -> removes.isEmpty()
              ? Future.succeededFuture(new int[] {added, 0})
              : client.preparedQuery(REMOVE).execute(Tuple.of(source,
                      removes.stream().map(p -> p.get(0)).toArray(UUID[]::new),
                      removes.stream().map(p -> p.get(1)).toArray(UUID[]::new), operation))
                  .map(done -> new int[] {added, done.rowCount()}));
        }));
  }

  /** Records a page of groups and stamps their memberships. @return memberships new to the store */
  Future<Integer> write(SqlClient client, List<GroupEntry> groups, UUID operation) {
    if (groups.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return resolve(client, groups).compose(resolved -> stamp(client, resolved.memberships(), operation));
  }

  /** A membership the directory lists: a group and an account of the store, by resource id. */
  private record Membership(UUID group, UUID member, String memberName) {}

  /** The groups of a page by stable id, and the memberships they list of accounts the store holds. */
  private record Resolved(Map<String, UUID> groupIds, List<Membership> memberships) {}

  /** Records the groups (upserted by stable id) and finds the store's accounts among their members. */
  private Future<Resolved> resolve(SqlClient client, List<GroupEntry> groups) {
    Tuple upsert = Tuple.of(source, groups.stream().map(GroupEntry::id).toArray(String[]::new),
        groups.stream().map(GroupEntry::name).toArray(String[]::new),
        groups.stream().map(GroupEntry::dn).toArray(String[]::new));
    String[] dns = groups.stream().flatMap(g -> g.memberDns().stream()).map(GroupWriter::dnKey).distinct()
        .toArray(String[]::new);
    return client.preparedQuery(UPSERT_GROUPS).execute(upsert).compose(groupRows -> {
      Map<String, UUID> groupIds = new HashMap<>();
      groupRows.forEach(row -> groupIds.put(row.getString("identifier"), row.getUUID("id")));
      return client.preparedQuery(MEMBERS).execute(Tuple.of(directoryId, (Object) dns)).map(memberRows -> {
        Map<String, Row> members = new HashMap<>();
        memberRows.forEach(row -> members.put(row.getString("dn"), row));
        List<Membership> memberships = new ArrayList<>();
        for (GroupEntry g : groups) {
          for (String dn : g.memberDns().stream().map(GroupWriter::dnKey).distinct().toList()) {
            Row member = members.get(dn);
            if (member != null) {
              memberships.add(new Membership(groupIds.get(g.id()), member.getUUID("resource_id"),
                  member.getString("username")));
            }
          }
        }
        return new Resolved(groupIds, memberships);
      });
    });
  }

  /** Stamps memberships with the operation, adding or reviving them. @return how many were new */
  private Future<Integer> stamp(SqlClient client, List<Membership> memberships, UUID operation) {
    if (memberships.isEmpty()) {
      return Future.succeededFuture(0);
    }
    String[] sources = new String[memberships.size()];
    UUID[] operations = new UUID[memberships.size()];
    java.util.Arrays.fill(sources, source);
    java.util.Arrays.fill(operations, operation);
    return client.preparedQuery(STAMP).execute(Tuple.of(memberships.stream().map(Membership::group).toArray(UUID[]::new),
            memberships.stream().map(Membership::member).toArray(UUID[]::new),
            memberships.stream().map(Membership::memberName).toArray(String[]::new), sources, operations))
        .map(rows -> {
          int inserted = 0;
          for (Row row : rows) {
            inserted += row.getBoolean("inserted") ? 1 : 0;
          }
          return inserted;
        });
  }

  /** Soft-deletes one batch of the directory's memberships the operation did not stamp. @return how many */
  Future<Integer> sweepBatch(SqlClient client, UUID operation) {
    return client.preparedQuery(SWEEP).execute(Tuple.of(source, operation, SWEEP_BATCH)).map(rows -> rows.rowCount());
  }

  /** Completes a partial update: nothing is swept, no group is taken as gone. */
  Future<Void> completePartial(SqlClient client, UUID operation, io.vertx.core.json.JsonObject details) {
    return client.preparedQuery(COMPLETE).execute(Tuple.of(operation, details)).mapEmpty();
  }

  /** Soft-deletes the directory's groups not recorded since {@code since}, and completes the operation. */
  Future<Integer> complete(SqlClient client, UUID operation, Instant since, io.vertx.core.json.JsonObject details) {
    return client.preparedQuery(GONE_GROUPS).execute(Tuple.of(source, OffsetDateTime.ofInstant(since, ZoneOffset.UTC)))
        .compose(gone -> client.preparedQuery(COMPLETE).execute(Tuple.of(operation, details)).map(gone.rowCount()));
  }

  static String dnKey(String dn) {
    return dn.toLowerCase(Locale.ROOT);
  }
}
