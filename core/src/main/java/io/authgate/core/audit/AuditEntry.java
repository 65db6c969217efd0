package io.authgate.core.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;

/**
 * A recorded audit event: its place in the chain, when, the event, and the hashes that chain it.
 * Immutable.
 *
 * @param id its position; ids grow in chain order (with gaps where an append rolled back)
 * @param at when it was appended, to the microsecond
 * @param event what was recorded
 * @param prevHash the hash of the entry before it (64 zeros for the first)
 * @param hash SHA-256 over its fields and {@code prevHash}, hex
 */
public record AuditEntry(long id, Instant at, AuditEvent event, String prevHash, String hash) {
  /** The columns {@link #fromRow} reads. */
  static final String COLUMNS = "id, at, actor, actor_type, action, target_type, target_id, reason, old_state, "
      + "new_state, ip, user_agent, prev_hash, hash";

  static AuditEntry fromRow(Row row) {
    AuditEvent event = new AuditEvent(row.getString("actor"),
        ActorType.byId(row.getString("actor_type")).orElseThrow(), row.getString("action"),
        row.getString("target_type"), row.getString("target_id"), row.getString("reason"),
        (JsonObject) row.getValue("old_state"), (JsonObject) row.getValue("new_state"), row.getString("ip"),
        row.getString("user_agent"));
    return new AuditEntry(row.getLong("id"), row.getOffsetDateTime("at").toInstant(), event,
        row.getString("prev_hash"), row.getString("hash"));
  }
}
