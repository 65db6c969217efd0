package io.authgate.core.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

/**
 * One run of {@link AuditLog#verify()} on one connection: a read-only repeatable-read transaction
 * (one snapshot for the head and every entry) and a cursor over the entries in id order. Not thread-safe.
 */
final class ChainVerifier {
  private static final int BATCH = 500;
  private static final String HEAD = "SELECT last_id, last_hash FROM audit_chain_head";
  private static final String ENTRIES = "SELECT id, at, actor, actor_type, action, target_type, target_id, reason, "
      + "old_state::text AS old_state, new_state::text AS new_state, ip, user_agent, prev_hash, hash "
      + "FROM audit_log ORDER BY id";

  private final SqlConnection connection;
  private long headId;
  private String headHash;
  private long checked;
  private long lastId;
  private String previous = AuditHashes.GENESIS;

  ChainVerifier(SqlConnection connection) {
    this.connection = connection;
  }

  Future<ChainCheck> run() {
    return connection.begin().compose(tx -> connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute()
        .compose(ignored -> connection.query(HEAD).execute())
        .compose(head -> {
          Row row = head.iterator().next();
          headId = row.getLong("last_id");
          headHash = row.getString("last_hash");
          return connection.prepare(ENTRIES);
        })
        .compose(statement -> read(statement.cursor()))
        .eventually(tx::rollback));
  }

  private Future<ChainCheck> read(Cursor cursor) {
    return cursor.read(BATCH).compose(rows -> {
      ChainCheck broken = check(rows);
      if (broken != null) {
        return cursor.close().map(broken);
      }
      return cursor.hasMore() ? read(cursor) : cursor.close().map(v -> atEnd());
    });
  }

  private ChainCheck check(RowSet<Row> rows) {
    for (Row row : rows) {
      long id = row.getLong("id");
      String prevHash = row.getString("prev_hash");
      String hash = row.getString("hash");
      if (!previous.equals(prevHash)) {
        return ChainCheck.broken(checked, id, checked == 0
            ? "the first entry does not start the chain (an earlier entry was removed?)"
            : "its previous hash does not match the hash of entry " + lastId + " (an entry was removed or re-hashed)");
      }
      AuditHashes.Fields fields = new AuditHashes.Fields(id, row.getOffsetDateTime("at").toInstant(),
          row.getString("actor"), row.getString("actor_type"), row.getString("action"), row.getString("target_type"),
          row.getString("target_id"), row.getString("reason"), row.getString("old_state"),
          row.getString("new_state"), row.getString("ip"), row.getString("user_agent"), prevHash);
      if (!AuditHashes.hash(fields).equals(hash)) {
        return ChainCheck.broken(checked, id, "its contents do not match its hash (the entry was altered)");
      }
      previous = hash;
      lastId = id;
      checked++;
    }
    return null;
  }

  private ChainCheck atEnd() {
    if (lastId == headId && previous.equals(headHash)) {
      return ChainCheck.ok(checked);
    }
    if (headId == lastId) {
      return ChainCheck.broken(Math.max(0, checked - 1), lastId, "its hash differs from the one the chain head records");
    }
    if (headId > lastId) {
      return ChainCheck.broken(checked, headId, "the chain head records entry " + headId
          + " but the log ends at entry " + lastId + " (entries were removed from the end)");
    }
    return ChainCheck.broken(checked, lastId, "the chain head records entry " + headId
        + " but the log goes on to entry " + lastId + " (entries were added behind the chain's back)");
  }
}
