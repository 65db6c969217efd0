package io.authgate.admin.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.UUID;

/** What every handler reads from a validated request and how it answers. */
public final class Exchanges {
  private Exchanges() {
  }

  /** @return the request as the contract validated it */
  public static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  /** @return a path parameter the contract has checked is a UUID */
  public static UUID pathId(RoutingContext ctx, String name) {
    return UUID.fromString(validated(ctx).getPathParameters().get(name).getString());
  }

  /** @return a path parameter */
  public static String path(RoutingContext ctx, String name) {
    return validated(ctx).getPathParameters().get(name).getString();
  }

  /** @return a query parameter, or null when absent */
  public static String query(RoutingContext ctx, String name) {
    RequestParameter parameter = validated(ctx).getQuery().get(name);
    return parameter == null || parameter.isNull() ? null : parameter.getString();
  }

  /** @return an integer query parameter, or the fallback when absent */
  public static int query(RoutingContext ctx, String name, int fallback) {
    RequestParameter parameter = validated(ctx).getQuery().get(name);
    return parameter == null || parameter.isNull() ? fallback : parameter.getInteger();
  }

  /** @return the validated JSON body */
  public static JsonObject body(RoutingContext ctx) {
    return validated(ctx).getBody().getJsonObject();
  }

  /** Answers with the body as JSON and the status once it completes, or fails the request. */
  public static void respond(RoutingContext ctx, Future<JsonObject> body, int status) {
    body.onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, AdminPaths.JSON)
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(done.result().encode());
    });
  }

  /** Answers 204 once the future completes, or fails the request. */
  public static void noContent(RoutingContext ctx, Future<?> done) {
    done.onSuccess(v -> ctx.response().setStatusCode(204).putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end())
        .onFailure(ctx::fail);
  }

  /**
   * Lets only the admin role through (changes to configuration: directories, identity providers,
   * the SP's keys, API keys).
   *
   * @param refusal the detail of the 403 anyone else gets
   * @return whether the caller may go on; when not, the request has failed with 403
   */
  public static boolean adminOnly(RoutingContext ctx, String refusal) {
    Caller caller = ctx.get(ApiKeyAuthentication.CALLER);
    if (caller.role().mayConfigure()) {
      return true;
    }
    ctx.fail(ProblemException.forbidden(refusal));
    return false;
  }

  /** @return the value, or a failed future with 404 and the detail when it is null */
  public static <T> Future<T> found(T value, String detail) {
    return value != null ? Future.succeededFuture(value) : Future.failedFuture(ProblemException.notFound(detail));
  }
}
