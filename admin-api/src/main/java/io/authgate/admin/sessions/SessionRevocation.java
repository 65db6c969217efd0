package io.authgate.admin.sessions;

import io.authgate.admin.api.AdminAudit;
import io.authgate.admin.api.Exchanges;
import io.authgate.admin.api.ProblemException;
import io.authgate.admin.users.UserHandlers;
import io.authgate.core.lifecycle.AccountKeys;
import io.authgate.core.runtime.Accounts;
import io.authgate.core.session.LocalSessionStore;
import io.authgate.core.session.Session;
import io.authgate.core.store.UserQueries;
import io.authgate.core.store.UserQueries.Details;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The sessions of an account: list ({@code listUserSessions}), end all ({@code revokeUserSessions})
 * or one ({@code revokeUserSession}), on every gateway process. Gateways file a user's sessions
 * under keys derived from the directory (or SAML identity provider) signed in through and the
 * username ({@link AccountKeys}), under every configured or managed identity provider for a SAML
 * account; when gateways share Redis, this process names the same keys only
 * with {@code cache.hmacKey} set. Revocations are audited. Thread-safe.
 */
public final class SessionRevocation {
  private final UserQueries users;
  private final Accounts accounts;
  private final AccountKeys keys;
  private final AdminAudit audit;

  /**
   * @param users the store's accounts
   * @param accounts the process's sessions
   * @param keys names an account's sessions, under every directory and identity provider
   * @param audit records revocations
   */
  public SessionRevocation(UserQueries users, Accounts accounts, AccountKeys keys, AdminAudit audit) {
    this.users = users;
    this.accounts = accounts;
    this.keys = keys;
    this.audit = audit;
  }

  /** {@code GET /users/{id}/sessions}. */
  public void list(RoutingContext ctx) {
    Exchanges.respond(ctx, account(ctx).compose(this::sessionsOf).map(sessions -> {
      JsonArray items = new JsonArray();
      sessions.forEach(session -> items.add(json(session)));
      return new JsonObject().put("items", items);
    }), 200);
  }

  /** {@code DELETE /users/{id}/sessions}. */
  public void revokeAll(RoutingContext ctx) {
    Exchanges.respond(ctx, account(ctx).compose(user -> keys.sessionKeys(user)
        .compose(accounts.sessions()::revokeAll)
        .compose(n -> audit.record(ctx, new AdminAudit.Entry("user.sessions.revoked", "user", user.id().toString(),
            null, null, new JsonObject().put("revoked", n))).map(n)))
        .map(n -> new JsonObject().put("revoked", n)), 200);
  }

  /** {@code DELETE /users/{id}/sessions/{sessionId}}. */
  public void revokeOne(RoutingContext ctx) {
    String sessionId = Exchanges.path(ctx, "sessionId");
    Exchanges.noContent(ctx, account(ctx).compose(user -> sessionsOf(user).compose(sessions -> {
      if (sessions.stream().noneMatch(s -> s.id().equals(sessionId))) {
        return Future.failedFuture(ProblemException.notFound("the account has no live session of this id"));
      }
      return accounts.sessions().revokeId(sessionId)
          .compose(v -> audit.record(ctx, new AdminAudit.Entry("user.session.revoked", "user",
              user.id().toString(), null, null, new JsonObject().put("session", sessionId))));
    })));
  }

  /** @return the account's live sessions, oldest first */
  private Future<List<Session>> sessionsOf(Details user) {
    return keys.sessionKeys(user).compose(userKeys -> {
      List<Future<List<Session>>> found = new ArrayList<>();
      userKeys.forEach(key -> found.add(accounts.sessions().list(key)));
      return Future.all(found).map(all -> found.stream().flatMap(f -> f.result().stream())
          .sorted(Comparator.comparingLong(Session::createdAt)).toList());
    });
  }

  private Future<Details> account(RoutingContext ctx) {
    if (!accounts.reachesGateways()) {
      return Future.failedFuture(ProblemException.unavailable(accounts.sessions() instanceof LocalSessionStore
          ? "sessions are kept in each gateway process (no redis.url): they cannot be reached from here"
          : "cache.hmacKey is not set: gateways name sessions under a random key this process cannot know"));
    }
    UUID id = Exchanges.pathId(ctx, "id");
    return users.find(id).compose(UserHandlers::found);
  }

  private static JsonObject json(Session session) {
    return new JsonObject().put("id", session.id()).put("via", session.principal().directory())
        .put("roles", new JsonArray(session.roles()))
        .put("createdAt", Instant.ofEpochMilli(session.createdAt()).toString())
        .put("expiresAt", Instant.ofEpochMilli(session.expiresAt()).toString());
  }
}
