package io.authgate.admin;

import io.authgate.core.observability.OpsRoutes;
import io.authgate.core.runtime.Platform;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The admin API's listener on {@code http.adminPort}. It serves health and metrics, like every
 * role; the management endpoints arrive with the admin API itself.
 */
public final class AdminApiVerticle extends VerticleBase {
  private final Platform platform;

  /** @param platform the process's shared infrastructure */
  public AdminApiVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    OpsRoutes.mount(router, platform.registry(), platform.readiness());
    router.route().handler(ctx -> ctx.response().setStatusCode(404)
        .putHeader("content-type", "application/problem+json")
        .end(new JsonObject().put("type", "about:blank").put("title", "Not Found").put("status", 404)
            .put("detail", "no such endpoint").encode()));
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(platform.config().http().host())
            .setPort(platform.config().http().adminPort()))
        .requestHandler(router)
        .listen();
  }
}
