package io.authgate.gateway.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps failures to RFC 9457 {@code application/problem+json} answers, in one place: 400 for a
 * {@link BadRequestException}, the status a handler failed with (413 from the body limit, 404,
 * 405), else 500 with no detail. Never a stack trace or a secret in a body.
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  /** Installs the failure handler and the 404/405 pages on a router. */
  public static void install(Router router) {
    router.route().failureHandler(Problems::handleFailure);
    router.errorHandler(404, ctx -> send(ctx, 404, "Not Found", "no such endpoint"));
    router.errorHandler(405, ctx -> send(ctx, 405, "Method Not Allowed", "method not allowed on this endpoint"));
  }

  private static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof BadRequestException bad) {
      send(ctx, 400, "Bad Request", bad.getMessage());
    } else if (ctx.statusCode() == 413) {
      send(ctx, 413, "Content Too Large", "the request body is larger than allowed");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      send(ctx, ctx.statusCode(), "Bad Request", "the request could not be processed");
    } else {
      LOG.atError().addKeyValue("requestId", RequestIds.of(ctx)).setCause(failure)
          .log("unhandled failure on {} {}", ctx.request().method(), ctx.request().path());
      send(ctx, 500, "Internal Server Error", "an unexpected error occurred");
    }
  }

  /** Sends a problem answer, unless one was already sent. */
  public static void send(RoutingContext ctx, int status, String title, String detail) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader("content-type", HeaderNames.PROBLEM_JSON)
        .putHeader(HeaderNames.CACHE_CONTROL, HeaderNames.NO_STORE)
        .end(new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
            .put("detail", detail).encode());
  }
}
