package io.authgate.gateway;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.HttpConfig;
import io.authgate.core.observability.OpsRoutes;
import io.authgate.gateway.auth.AuthHandler;
import io.authgate.gateway.http.Problems;
import io.authgate.gateway.http.RequestIds;
import io.authgate.gateway.portal.LoginPage;
import io.authgate.gateway.session.LogoutHandler;
import io.authgate.gateway.verify.VerifyHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.TimeUnit;

/**
 * The edge verticle, one instance per event loop. Routes, in order: request id and
 * {@code Cache-Control: no-store} on everything, health and metrics, {@code POST /v1/auth} with its
 * body limit, {@code POST /v1/logout}, the verify endpoints for reverse proxies, the login
 * page, and the SAML endpoints when the SAML service provider runs (IdPs configured, or a store to
 * manage them in); failures become problem+json in one place. Undeployed, it takes no new
 * connections and lets the requests in flight finish, within {@code http.shutdownTimeout}.
 */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayServices services;
  private HttpServer server;

  /** @param services what every instance shares */
  public GatewayVerticle(GatewayServices services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    AuthgateConfig config = services.platform().config();
    HttpConfig http = config.http();
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    OpsRoutes.mount(router, services.platform().registry(), services.platform().readiness());
    router.post(AuthHandler.PATH)
        .handler(BodyHandler.create(false).setBodyLimit(http.maxBodyBytes()))
        .handler(new AuthHandler(services.auth(), services.addresses(), services.cookies()));
    router.post(LogoutHandler.PATH).handler(new LogoutHandler(services.sessions(), services.cookies()));
    VerifyHandler.mount(router, config, services.sessions(), services.cookies(), services.auth(),
        services.addresses(), services.portal(), services.platform().registry());
    LoginPage.mount(router, services.auth(), services.sessions(), services.cookies(), services.addresses(),
        services.portal(), services.csrfKey(), config.session().secureCookie(), http.maxBodyBytes());
    if (services.saml() != null) {
      services.saml().mount(router);
    }
    Problems.install(router);
    // A form field may be as large as the largest SAMLResponse accepted (the ACS posts one).
    HttpServerOptions options = new HttpServerOptions().setHost(http.host()).setPort(http.port())
        .setMaxFormAttributeSize(Math.max(HttpServerOptions.DEFAULT_MAX_FORM_ATTRIBUTE_SIZE,
            config.saml().maxResponseBytes()));
    return vertx.createHttpServer(options)
        .requestHandler(router)
        .listen()
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(services.platform().config().http().shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** @return the port this instance listens on, once started */
  public int actualPort() {
    return server.actualPort();
  }
}
