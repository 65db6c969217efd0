package io.authgate.admin.stats;

import io.authgate.admin.api.AdminPaths;
import io.authgate.core.store.AccountStatus;
import io.authgate.core.store.ProvisioningMethod;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/**
 * {@code GET /stats/overview} ({@code statsOverview}): accounts by status and by provisioning
 * method, the share provisioned by LDAP sync, and each directory with its account count, latest
 * sync visit and health as last stored. Soft-deleted accounts are not counted. Thread-safe.
 */
public final class StatsOverview {
  private static final String BY_STATUS_AND_METHOD = """
      SELECT u.status, u.provisioning_method, count(*) AS n
      FROM users u JOIN resources r ON r.id = u.resource_id WHERE NOT r.deleted
      GROUP BY u.status, u.provisioning_method""";
  private static final String DIRECTORIES = """
      SELECT d.id, d.name, d.kind, d.source, d.health_status, d.health_checked_at, d.health_latency_ms,
             count(u.resource_id) AS users, max(u.last_sync_at) AS last_sync_at
      FROM directories d
      LEFT JOIN (users u JOIN resources r ON r.id = u.resource_id AND NOT r.deleted) ON u.directory_id = d.id
      GROUP BY d.id ORDER BY d.name""";

  private final Pool pool;

  /** @param pool the store */
  public StatsOverview(Pool pool) {
    this.pool = pool;
  }

  /** Handles the request. */
  public void handle(RoutingContext ctx) {
    Future.all(pool.query(BY_STATUS_AND_METHOD).execute().map(StatsOverview::users),
            pool.query(DIRECTORIES).execute().map(rows -> {
              JsonArray directories = new JsonArray();
              rows.forEach(row -> directories.add(directory(row)));
              return directories;
            }))
        .onSuccess(all -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, AdminPaths.JSON)
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .end(new JsonObject().put("users", all.<JsonObject>resultAt(0))
                .put("directories", all.<JsonArray>resultAt(1)).encode()))
        .onFailure(ctx::fail);
  }

  private static JsonObject users(Iterable<Row> rows) {
    JsonObject byStatus = new JsonObject();
    for (AccountStatus status : AccountStatus.values()) {
      byStatus.put(status.id(), 0L);
    }
    JsonObject byMethod = new JsonObject();
    for (ProvisioningMethod method : ProvisioningMethod.values()) {
      byMethod.put(method.id(), 0L);
    }
    long total = 0;
    for (Row row : rows) {
      long n = row.getLong("n");
      total += n;
      byStatus.put(row.getString("status"), byStatus.getLong(row.getString("status"), 0L) + n);
      String method = row.getString("provisioning_method");
      byMethod.put(method, byMethod.getLong(method, 0L) + n);
    }
    double share = total == 0 ? 0 : (double) byMethod.getLong(ProvisioningMethod.LDAP_SYNC.id()) / total;
    return new JsonObject().put("total", total).put("byStatus", byStatus).put("byProvisioningMethod", byMethod)
        .put("ldapSyncShare", share);
  }

  private static JsonObject directory(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("name", row.getString("name"))
        .put("kind", row.getString("kind"))
        .put("source", row.getString("source"))
        .put("users", row.getLong("users"))
        .put("lastSyncAt", text(row.getOffsetDateTime("last_sync_at")))
        .put("health", new JsonObject()
            .put("status", row.getString("health_status"))
            .put("checkedAt", text(row.getOffsetDateTime("health_checked_at")))
            .put("latencyMs", row.getInteger("health_latency_ms")));
  }

  private static String text(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }
}
