package io.authgate.admin.audit;

import io.authgate.admin.api.Exchanges;
import io.authgate.admin.api.ProblemException;
import io.authgate.core.audit.AuditEntry;
import io.authgate.core.audit.AuditEvent;
import io.authgate.core.audit.AuditLog;
import io.authgate.core.audit.AuditQuery;
import io.authgate.core.audit.ChainCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /audit} ({@code listAudit}) and {@code GET /audit/verify} ({@code verifyAudit}): the
 * trail with filters and cursor pagination, newest first, and the check of its hash chain. Every
 * role may read both. Thread-safe.
 */
public final class AuditHandlers {
  private final AuditLog log;

  /** @param log the audit log */
  public AuditHandlers(AuditLog log) {
    this.log = log;
  }

  /** {@code GET /audit}. */
  public void list(RoutingContext ctx) {
    AuditQuery query;
    try {
      query = new AuditQuery(Exchanges.query(ctx, "actor"), Exchanges.query(ctx, "action"),
          Exchanges.query(ctx, "targetType"), Exchanges.query(ctx, "targetId"), instant(ctx, "from"),
          instant(ctx, "to"), cursor(ctx), Exchanges.query(ctx, "limit", AuditQuery.DEFAULT_LIMIT));
    } catch (ProblemException e) {
      ctx.fail(e);
      return;
    }
    Exchanges.respond(ctx, log.list(query).map(page -> {
      JsonArray items = new JsonArray();
      page.entries().forEach(entry -> items.add(json(entry)));
      JsonObject body = new JsonObject().put("items", items);
      if (page.nextCursor() != null) {
        body.put("nextCursor", page.nextCursor().toString());
      }
      return body;
    }), 200);
  }

  /** {@code GET /audit/verify}. */
  public void verify(RoutingContext ctx) {
    Exchanges.respond(ctx, log.verify().map(AuditHandlers::json), 200);
  }

  private static JsonObject json(ChainCheck check) {
    JsonObject body = new JsonObject().put("intact", check.intact()).put("checked", check.checked());
    if (!check.intact()) {
      body.put("brokenId", check.brokenId()).put("problem", check.problem());
    }
    return body;
  }

  private static JsonObject json(AuditEntry entry) {
    AuditEvent e = entry.event();
    JsonObject json = new JsonObject().put("id", entry.id()).put("at", entry.at().toString())
        .put("actor", e.actor()).put("actorType", e.actorType().id()).put("action", e.action());
    putIfPresent(json, "targetType", e.targetType());
    putIfPresent(json, "targetId", e.targetId());
    putIfPresent(json, "reason", e.reason());
    putIfPresent(json, "oldState", e.oldState());
    putIfPresent(json, "newState", e.newState());
    putIfPresent(json, "ip", e.ip());
    putIfPresent(json, "userAgent", e.userAgent());
    return json.put("prevHash", entry.prevHash()).put("hash", entry.hash());
  }

  private static void putIfPresent(JsonObject json, String name, Object value) {
    if (value != null) {
      json.put(name, value);
    }
  }

  private static Instant instant(RoutingContext ctx, String name) {
    String text = Exchanges.query(ctx, name);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ProblemException.invalidParam("query", name, "must be an RFC 3339 date-time such as 2026-11-22T08:00:00Z");
    }
  }

  private static Long cursor(RoutingContext ctx) {
    String text = Exchanges.query(ctx, "cursor");
    if (text == null) {
      return null;
    }
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Refused below.
    }
    throw ProblemException.invalidParam("query", "cursor", "not a cursor this API issued");
  }
}
