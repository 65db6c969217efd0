package io.authgate.admin.users;

import io.authgate.admin.api.AdminAudit;
import io.authgate.admin.api.AdminPaths;
import io.authgate.admin.api.Exchanges;
import io.authgate.admin.api.ProblemException;
import io.authgate.core.store.AccountStatus;
import io.authgate.core.store.ProvisioningMethod;
import io.authgate.core.store.UserQueries;
import io.authgate.core.store.UserQueries.Details;
import io.authgate.core.store.UserQueries.NewUser;
import io.authgate.core.store.UserQueries.ProfileField;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The users endpoints: list ({@code listUsers}), get ({@code getUser}), create ({@code createUser})
 * and patch ({@code patchUser}). Requests reach them validated against the contract; what the
 * contract cannot say (a cursor this API made, a directory that exists) is checked here.
 * Thread-safe.
 */
public final class UserHandlers {
  /** The page size when the request names none. */
  public static final int DEFAULT_LIMIT = 50;

  private final UserQueries users;
  private final AdminAudit audit;

  /**
   * @param users the store's accounts
   * @param audit records each change
   */
  public UserHandlers(UserQueries users, AdminAudit audit) {
    this.users = users;
    this.audit = audit;
  }

  /** {@code GET /users}. */
  public void list(RoutingContext ctx) {
    Map<String, RequestParameter> query = Exchanges.validated(ctx).getQuery();
    UUID after = null;
    String cursor = string(query, "cursor");
    if (cursor != null) {
      try {
        after = Cursor.parse(cursor);
      } catch (IllegalArgumentException e) {
        ctx.fail(ProblemException.invalidParam("query", "cursor", "not a cursor this API issued"));
        return;
      }
    }
    String status = string(query, "status");
    String method = string(query, "provisioningMethod");
    RequestParameter limit = query.get("limit");
    UserQueries.Filter filter = new UserQueries.Filter(
        status == null ? null : AccountStatus.of(status), string(query, "department"), string(query, "directory"),
        method == null ? null : ProvisioningMethod.of(method), string(query, "q"), after,
        limit == null || limit.isNull() ? DEFAULT_LIMIT : limit.getInteger());
    Exchanges.respond(ctx, users.list(filter).map(page -> {
      JsonArray items = new JsonArray();
      page.items().forEach(u -> items.add(UserJson.of(u)));
      JsonObject body = new JsonObject().put("items", items);
      if (page.more()) {
        body.put("nextCursor", Cursor.after(page.items().get(page.items().size() - 1).id()));
      }
      return body;
    }), 200);
  }

  /** {@code GET /users/{id}}. */
  public void get(RoutingContext ctx) {
    Exchanges.respond(ctx, users.find(Exchanges.pathId(ctx, "id")).compose(UserHandlers::found).map(UserJson::of), 200);
  }

  /** {@code POST /users}. */
  public void create(RoutingContext ctx) {
    JsonObject body = Exchanges.body(ctx);
    String directory = body.getString("directory");
    Future<UUID> directoryId = directory == null ? Future.succeededFuture() : users.directoryId(directory)
        .compose(id -> id != null ? Future.succeededFuture(id) : Future.failedFuture(
            ProblemException.unprocessable("body", "/directory", "no directory is named " + directory)));
    Map<ProfileField, String> profile = new HashMap<>(UserJson.profile(body));
    profile.values().removeIf(v -> v == null);
    AccountStatus status = AccountStatus.of(body.getString("status", AccountStatus.PENDING.id()));
    Exchanges.respond(ctx, directoryId.compose(dir -> audit.change(ctx,
            connection -> users.create(connection, new NewUser(dir, body.getString("username").trim(), profile, status)),
            user -> new AdminAudit.Entry("user.created", "user", user.id().toString(), null, null, UserJson.of(user))))
        .onSuccess(user -> ctx.response().putHeader(HttpHeaders.LOCATION, AdminPaths.USERS + "/" + user.id()))
        .map(UserJson::of), 201);
  }

  /** {@code PATCH /users/{id}}. */
  public void patch(RoutingContext ctx) {
    JsonObject body = Exchanges.body(ctx);
    UUID id = Exchanges.pathId(ctx, "id");
    JsonObject[] before = new JsonObject[1];
    Exchanges.respond(ctx, audit.change(ctx, connection -> users.find(connection, id).compose(UserHandlers::found)
            .compose(old -> {
              before[0] = UserJson.of(old);
              return users.patch(connection, id, UserJson.profile(body));
            }),
            user -> new AdminAudit.Entry("user.patched", "user", id.toString(), null, before[0], UserJson.of(user)))
        .map(UserJson::of), 200);
  }

  /** @return the account, or a failed future with 404 */
  public static Future<Details> found(Details user) {
    return Exchanges.found(user, "no such user");
  }

  private static String string(Map<String, RequestParameter> query, String name) {
    RequestParameter parameter = query.get(name);
    return parameter == null || parameter.isNull() ? null : parameter.getString();
  }

}
