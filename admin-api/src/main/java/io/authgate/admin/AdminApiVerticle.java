package io.authgate.admin;

import io.authgate.admin.api.AdminApi;
import io.authgate.admin.api.Problems;
import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.IdpConfig;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.observability.OpsRoutes;
import io.authgate.core.runtime.Platform;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's listener on {@code http.adminPort}: health and metrics, like every role, and
 * the admin API under {@code /admin/v1} (see {@link AdminApi}) when the process has a store.
 * Undeployed, it takes no new connections and lets the requests in flight finish, within
 * {@code http.shutdownTimeout}.
 */
public final class AdminApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApiVerticle.class);
  private final Platform platform;
  private HttpServer server;

  /**
   * An admin API whose callers present the store's API keys.
   *
   * @param platform the process's shared infrastructure
   */
  public AdminApiVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    OpsRoutes.mount(router, platform.registry(), platform.readiness());
    Future<Void> api = platform.store().map(pool -> platform.secrets().box().compose(box -> AdminApi.mount(vertx, router,
            services(pool, box))))
        .orElseGet(() -> {
          LOG.atWarn().addKeyValue("event", "admin.unavailable").log("no store: the admin API is not served");
          return Future.succeededFuture();
        });
    return api.compose(v -> {
      router.errorHandler(404, Problems::handle);
      router.errorHandler(405, Problems::handle);
      router.errorHandler(500, Problems::handle);
      return vertx.createHttpServer(new HttpServerOptions()
              .setHost(platform.config().http().host())
              .setPort(platform.config().http().adminPort()))
          .requestHandler(router)
          .listen()
          .onSuccess(s -> server = s);
    });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(platform.config().http().shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private AdminApi.Services services(io.vertx.sqlclient.Pool pool, Optional<SecretBox> box) {
    AuthgateConfig config = platform.config();
    return new AdminApi.Services(pool, StoredApiKeys.authenticator(pool), platform.accounts(), platform.broadcaster(),
        config.admin(), config.saml().idps().stream().map(IdpConfig::id).toList(), config.session().cookieName(),
        box, config.directories(), config.saml().signingKey().isPresent());
  }
}
