package io.authgate.admin.keys;

import io.authgate.admin.api.AdminAudit;
import io.authgate.admin.api.AdminPaths;
import io.authgate.admin.api.ApiKeyAuthentication;
import io.authgate.admin.api.Caller;
import io.authgate.admin.api.Exchanges;
import io.authgate.admin.api.ProblemException;
import io.authgate.core.apikeys.ApiKey;
import io.authgate.core.apikeys.ApiKeyRole;
import io.authgate.core.apikeys.ApiKeys;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * {@code GET /api-keys} ({@code listApiKeys}), {@code POST /api-keys} ({@code createApiKey}) and
 * {@code DELETE /api-keys/{keyId}} ({@code revokeApiKey}). Keys are an admin's business: every
 * role may list them (never a secret), only {@code admin} may issue or revoke one. The plaintext of a
 * new key is in the answer to its creation and nowhere else. Thread-safe.
 */
public final class ApiKeyHandlers {
  private static final String REFUSAL = "only the admin role may issue or revoke API keys";
  private final ApiKeys keys;
  private final AdminAudit audit;

  /**
   * @param keys the store's API keys
   * @param audit records issues and revocations
   */
  public ApiKeyHandlers(ApiKeys keys, AdminAudit audit) {
    this.keys = keys;
    this.audit = audit;
  }

  /** {@code GET /api-keys}. */
  public void list(RoutingContext ctx) {
    Exchanges.respond(ctx, keys.list().map(all -> {
      JsonArray items = new JsonArray();
      all.forEach(key -> items.add(json(key)));
      return new JsonObject().put("items", items);
    }), 200);
  }

  /** {@code POST /api-keys}. */
  public void create(RoutingContext ctx) {
    if (!Exchanges.adminOnly(ctx, REFUSAL)) {
      return;
    }
    JsonObject body = Exchanges.body(ctx);
    Instant expiresAt;
    try {
      String expiry = body.getString("expiresAt");
      expiresAt = expiry == null ? null : OffsetDateTime.parse(expiry).toInstant();
    } catch (DateTimeParseException e) {
      ctx.fail(ProblemException.invalidParam("body", "/expiresAt", "must be an RFC 3339 date-time"));
      return;
    }
    ApiKeyRole role = ApiKeyRole.byId(body.getString("role")).orElseThrow();
    Caller caller = ctx.get(ApiKeyAuthentication.CALLER);
    Instant expiry = expiresAt;
    Exchanges.respond(ctx, audit.change(ctx,
            connection -> keys.create(connection, body.getString("name"), role, expiry, caller.actor())
                .recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
                    ? ProblemException.unprocessable("body", e.getMessage().contains("expiry") ? "/expiresAt" : "/name",
                        e.getMessage()) : e)),
            issued -> new AdminAudit.Entry("api_key.created", "api_key", issued.key().id().toString(), null, null,
                json(issued.key())))
        .onSuccess(issued -> ctx.response().putHeader(HttpHeaders.LOCATION,
            AdminPaths.BASE + "/api-keys/" + issued.key().id()))
        .map(issued -> json(issued.key()).put("key", issued.plaintext())), 201);
  }

  /** {@code DELETE /api-keys/{keyId}}. */
  public void revoke(RoutingContext ctx) {
    if (!Exchanges.adminOnly(ctx, REFUSAL)) {
      return;
    }
    UUID id = Exchanges.pathId(ctx, "keyId");
    Exchanges.respond(ctx, audit.change(ctx,
        connection -> keys.revoke(connection, id).compose(key -> Exchanges.found(key, "no such API key")),
        key -> new AdminAudit.Entry("api_key.revoked", "api_key", id.toString(), null, null, json(key)))
        .map(ApiKeyHandlers::json), 200);
  }

  private static JsonObject json(ApiKey key) {
    return new JsonObject().put("id", key.id().toString()).put("name", key.name()).put("role", key.role().id())
        .put("bootstrap", key.bootstrap()).put("createdBy", key.createdBy())
        .put("createdAt", text(key.createdAt())).put("expiresAt", text(key.expiresAt()))
        .put("revokedAt", text(key.revokedAt())).put("lastUsedAt", text(key.lastUsedAt()));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
