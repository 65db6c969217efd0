package io.authgate.sync;

import io.authgate.core.observability.OpsRoutes;
import io.authgate.core.runtime.Platform;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} on {@code sync.opsPort}, for a
 * process that runs only the sync-worker role (the gateway and admin API serve them otherwise).
 */
final class SyncOpsVerticle extends VerticleBase {
  private final Platform platform;

  SyncOpsVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    OpsRoutes.mount(router, platform.registry(), platform.readiness());
    return vertx.createHttpServer(new HttpServerOptions().setHost(platform.config().http().host())
            .setPort(platform.config().sync().opsPort()))
        .requestHandler(router)
        .listen();
  }
}
