package io.authgate.admin.api;

import io.authgate.core.audit.AuditEvent;
import io.authgate.core.audit.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * Records admin changes in the audit trail: the change and its audit entry commit in one
 * transaction, or neither does. The entry names the caller ({@link Caller}), the client's address
 * and User-Agent; states must never hold a secret. Thread-safe.
 */
public final class AdminAudit {
  private final Pool pool;
  private final AuditLog log;

  /** @param pool the store, whose {@code audit_log} receives the entries */
  public AdminAudit(Pool pool) {
    this.pool = pool;
    this.log = new AuditLog(pool);
  }

  /** @return the audit log itself, for reading and verifying */
  public AuditLog log() {
    return log;
  }

  /**
   * Runs a change and records it in the same transaction, then logs it ({@link AdminEvents}).
   *
   * @param change the change, on the transaction's connection; its result says what to record
   * @param entry what to record about the change's result, or null to record nothing (no change made)
   * @return the change's result, once both are committed
   */
  public <T> Future<T> change(RoutingContext ctx, Function<SqlConnection, Future<T>> change,
                              Function<T, Entry> entry) {
    Entry[] recorded = new Entry[1];
    return pool.withTransaction(connection -> change.apply(connection).compose(result -> {
      recorded[0] = entry.apply(result);
      return recorded[0] == null ? Future.succeededFuture(result)
          : log.append(connection, event(ctx, recorded[0])).map(result);
    })).onSuccess(result -> {
      if (recorded[0] != null) {
        AdminEvents.changed(ctx, recorded[0].action(), recorded[0].targetId());
      }
    });
  }

  /**
   * Records a change made outside the store (in Redis, say), in a transaction of its own, then
   * logs it ({@link AdminEvents}).
   */
  public Future<Void> record(RoutingContext ctx, Entry entry) {
    return log.append(event(ctx, entry)).onSuccess(e -> AdminEvents.changed(ctx, entry.action(), entry.targetId()))
        .mapEmpty();
  }

  /** @return the audit event of an entry made by this request's caller */
  public static AuditEvent event(RoutingContext ctx, Entry entry) {
    Caller caller = ctx.get(ApiKeyAuthentication.CALLER);
    SocketAddress remote = ctx.request().remoteAddress();
    return new AuditEvent(caller.actor(), caller.type(), entry.action(), entry.targetType(), entry.targetId(),
        entry.reason(), entry.oldState(), entry.newState(), remote == null ? null : remote.hostAddress(),
        ctx.request().getHeader(HttpHeaders.USER_AGENT));
  }

  /**
   * What to record about one change. Immutable.
   *
   * @param action what was done, such as {@code user.created}
   * @param targetType the kind of thing changed, such as {@code user}
   * @param targetId its id
   * @param reason why, as the caller gave it; may be null
   * @param oldState the state before, never a secret; may be null
   * @param newState the state after, never a secret; may be null
   */
  public record Entry(String action, String targetType, String targetId, String reason, JsonObject oldState,
                      JsonObject newState) {
  }
}
