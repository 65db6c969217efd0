package io.authgate.admin.idps;

import io.authgate.admin.api.AdminPaths;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Answers a request with a JSON body once it is computed, or fails it for the problem handler. */
final class Replies {
  private Replies() {}

  static void send(RoutingContext ctx, Future<JsonObject> body, int status) {
    body.onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, AdminPaths.JSON)
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(done.result().encode());
    });
  }
}
