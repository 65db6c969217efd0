package io.authgate.core.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audit log in the {@code audit_log} table: append, verify the hash chain, list with filters.
 *
 * <p>The table is append-only (triggers refuse UPDATE, DELETE and TRUNCATE). An append locks the one
 * row of {@code audit_chain_head} for the rest of its transaction, takes the next id, hashes the entry
 * with the head's hash ({@link AuditHashes}) and moves the head: appends are serialised, so the chain
 * never forks and ids follow chain order. Every query is parameterised. Thread-safe.
 */
public final class AuditLog {
  private static final String LOCK_HEAD = """
      SELECT last_hash, nextval('audit_log_id_seq') AS id, clock_timestamp() AS at,
             $1::jsonb::text AS old_state, $2::jsonb::text AS new_state
      FROM audit_chain_head FOR UPDATE""";
  private static final String INSERT = """
      WITH entry AS (
        INSERT INTO audit_log (id, at, actor, actor_type, action, target_type, target_id, reason, old_state,
                               new_state, ip, user_agent, prev_hash, hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb, $11, $12, $13, $14)
        RETURNING *),
      head AS (UPDATE audit_chain_head SET last_id = $1, last_hash = $14)
      SELECT\s""" + AuditEntry.COLUMNS + " FROM entry";

  private final Pool pool;

  /** @param pool the store */
  public AuditLog(Pool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /**
   * Appends an event in a transaction of its own.
   *
   * @return the recorded entry
   */
  public Future<AuditEntry> append(AuditEvent event) {
    return pool.withTransaction(connection -> append(connection, event));
  }

  /**
   * Appends an event in the caller's transaction, so the change and its record commit or roll back
   * together. The chain head stays locked until that transaction ends: keep it short.
   *
   * @param connection a connection with a transaction begun
   * @return the recorded entry
   * @throws IllegalStateException (as the failure) when the connection has no transaction
   */
  public Future<AuditEntry> append(SqlConnection connection, AuditEvent event) {
    Objects.requireNonNull(event, "event");
    if (connection.transaction() == null) {
      return Future.failedFuture(new IllegalStateException("an audit append needs a transaction"));
    }
    return connection.preparedQuery(LOCK_HEAD)
        .execute(Tuple.tuple().addValue(event.oldState()).addValue(event.newState()))
        .compose(rows -> {
          Row head = rows.iterator().next();
          AuditHashes.Fields fields = new AuditHashes.Fields(head.getLong("id"),
              head.getOffsetDateTime("at").toInstant(), event.actor(), event.actorType().id(), event.action(),
              event.targetType(), event.targetId(), event.reason(), head.getString("old_state"),
              head.getString("new_state"), event.ip(), event.userAgent(), head.getString("last_hash"));
          return connection.preparedQuery(INSERT).execute(Tuple.from(new Object[] {
              fields.id(), fields.at().atOffset(ZoneOffset.UTC), fields.actor(), fields.actorType(), fields.action(),
              fields.targetType(), fields.targetId(), fields.reason(), fields.oldState(), fields.newState(),
              fields.ip(), fields.userAgent(), fields.prevHash(), AuditHashes.hash(fields)}));
        })
        .map(rows -> AuditEntry.fromRow(rows.iterator().next()));
  }

  /**
   * Verifies the whole chain, streaming the entries in id order from one consistent snapshot: each
   * entry's hash must match its contents, its previous hash the entry before it, and the last entry
   * the chain head (so entries removed from the end are noticed too).
   *
   * @return intact with the count, or the first broken link
   */
  public Future<ChainCheck> verify() {
    return pool.getConnection().compose(connection -> new ChainVerifier(connection).run()
        .eventually(connection::close));
  }

  /** @return a page of entries matching the query, newest first */
  public Future<AuditPage> list(AuditQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + AuditEntry.COLUMNS + " FROM audit_log WHERE true");
    List<Object> params = new ArrayList<>();
    filter(sql, params, "actor = ", query.actor());
    filter(sql, params, "action = ", query.action());
    filter(sql, params, "target_type = ", query.targetType());
    filter(sql, params, "target_id = ", query.targetId());
    filter(sql, params, "at >= ", query.from() == null ? null : query.from().atOffset(ZoneOffset.UTC));
    filter(sql, params, "at < ", query.to() == null ? null : query.to().atOffset(ZoneOffset.UTC));
    filter(sql, params, "id < ", query.before());
    params.add(query.limit() + 1);
    sql.append(" ORDER BY id DESC LIMIT $").append(params.size());
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
      List<AuditEntry> entries = new ArrayList<>(rows.size());
      rows.forEach(row -> entries.add(AuditEntry.fromRow(row)));
      if (entries.size() <= query.limit()) {
        return new AuditPage(entries, null);
      }
      List<AuditEntry> page = entries.subList(0, query.limit());
      return new AuditPage(page, page.get(page.size() - 1).id());
    });
  }

  private static void filter(StringBuilder sql, List<Object> params, String condition, Object value) {
    if (value != null) {
      params.add(value);
      sql.append(" AND ").append(condition).append('$').append(params.size());
    }
  }
}
