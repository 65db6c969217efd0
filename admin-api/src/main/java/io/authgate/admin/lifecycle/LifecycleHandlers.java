package io.authgate.admin.lifecycle;

import io.authgate.admin.api.AdminAudit;
import io.authgate.admin.api.Exchanges;
import io.authgate.admin.api.ProblemException;
import io.authgate.admin.users.UserJson;
import io.authgate.core.lifecycle.Lifecycle;
import io.authgate.core.lifecycle.LifecycleEffects;
import io.authgate.core.lifecycle.Transition;
import io.authgate.core.store.AccountStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code POST /users/{id}/lifecycle/transition} ({@code transitionUser}) and
 * {@code POST /users/{id}/lifecycle/offboard} ({@code offboardUser}). Each change and its audit
 * entry commit together; the side effects (blocking on every gateway, revoking sessions, purging
 * cached credentials) run after the commit. Thread-safe.
 */
public final class LifecycleHandlers {
  private final Lifecycle lifecycle;
  private final LifecycleEffects effects;
  private final AdminAudit audit;

  /**
   * @param lifecycle changes accounts in the store
   * @param effects what follows a change
   * @param audit records each change
   */
  public LifecycleHandlers(Lifecycle lifecycle, LifecycleEffects effects, AdminAudit audit) {
    this.lifecycle = lifecycle;
    this.effects = effects;
    this.audit = audit;
  }

  /** {@code POST /users/{id}/lifecycle/transition}. */
  public void transition(RoutingContext ctx) {
    JsonObject body = Exchanges.body(ctx);
    AccountStatus to = AccountStatus.of(body.getString("to"));
    change(ctx, body.getString("reason"), Transition::action, (connection, id) -> lifecycle.transition(connection, id, to));
  }

  /** {@code POST /users/{id}/lifecycle/offboard}. */
  public void offboard(RoutingContext ctx) {
    JsonObject body = Exchanges.body(ctx);
    Duration deprovision = days(body, "deprovisionAfterDays");
    Duration anonymise = days(body, "anonymiseAfterDays");
    change(ctx, body.getString("reason"), t -> "user.lifecycle.offboarded",
        (connection, id) -> lifecycle.offboard(connection, id, deprovision, anonymise).recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
            ? ProblemException.unprocessable("body", "/anonymiseAfterDays", e.getMessage()) : e)));
  }

  private void change(RoutingContext ctx, String reason, Function<Transition, String> action,
                      BiFunction<SqlConnection, UUID, Future<Transition>> change) {
    UUID id = Exchanges.pathId(ctx, "id");
    Exchanges.respond(ctx, audit.change(ctx,
            connection -> change.apply(connection, id).compose(t -> Exchanges.found(t, "no such user")),
            t -> new AdminAudit.Entry(action.apply(t), "user", id.toString(), reason, t.oldState(), t.newState()))
        .compose(t -> effects.apply(t).map(revoked -> answer(t, revoked))), 200);
  }

  private static JsonObject answer(Transition t, int revoked) {
    JsonObject body = new JsonObject().put("user", UserJson.of(t.after())).put("from", t.from().id())
        .put("to", t.to().id()).put("sessionsRevoked", revoked);
    if (t.deprovisionAt() != null && t.to() == AccountStatus.SUSPENDED) {
      body.put("deprovisionAt", t.deprovisionAt().toString());
    }
    if (t.anonymiseAt() != null) {
      body.put("anonymiseAt", t.anonymiseAt().toString());
    }
    return body;
  }

  private static Duration days(JsonObject body, String name) {
    Integer days = body.getInteger(name);
    return days == null ? null : Duration.ofDays(days);
  }
}
