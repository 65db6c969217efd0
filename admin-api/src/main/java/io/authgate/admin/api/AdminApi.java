package io.authgate.admin.api;

import io.authgate.admin.directories.DirectoryHandlers;
import io.authgate.admin.directories.DirectoryProbes;
import io.authgate.admin.docs.ApiDocs;
import io.authgate.admin.sessions.SessionRevocation;
import io.authgate.admin.stats.StatsOverview;
import io.authgate.admin.users.UserHandlers;
import io.authgate.core.cache.CredentialVerifier;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.session.SessionStore;
import io.authgate.core.store.ManagedDirectories;
import io.authgate.core.store.UserQueries;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API, built from its contract ({@code openapi/admin-v1.yaml}): every operation of the
 * contract is routed to its handler by operationId, and requests are validated against the
 * contract before they reach it. Each request passes, in order: its request id, the body (64 KiB at most), the
 * API key ({@link ApiKeyAuthentication}: 401, 403), the contract's validation (400), the handler.
 * Every failure is answered by {@link Problems}.
 */
public final class AdminApi {
  /** The largest request body accepted. */
  public static final long MAX_BODY_BYTES = 64 * 1024;

  /**
   * What the API's handlers work with.
   *
   * @param pool the store
   * @param keys finds who holds an API key
   * @param sessions the sessions the gateways share, or empty when they are in-process only
   * @param userKeys derives user keys as the gateways do, or empty when {@code cache.hmacKey} is unset
   * @param identityProviders the ids of the configured SAML identity providers
   * @param secrets seals and opens the secrets the store keeps (directory bind passwords); empty without a
   *     master key
   * @param events tells every process of a change (directories changed)
   * @param configuredDirectories this process's configured directories, which the directory probe may test
   */
  public record Services(Pool pool, ApiKeyAuthenticator keys, Optional<SessionStore> sessions,
                         Optional<CredentialVerifier> userKeys, List<String> identityProviders, Optional<SecretBox> secrets,
                         Broadcaster events, List<DirectoryConfig> configuredDirectories) {
    /** Copies the lists. */
    public Services {
      identityProviders = List.copyOf(identityProviders);
      configuredDirectories = List.copyOf(configuredDirectories);
    }
  }

  private AdminApi() {
  }

  /**
   * Adds the contract, the docs page and every operation under {@link AdminPaths#BASE}.
   *
   * @param router the admin port's router
   * @return done once the contract is read and the routes are in place
   */
  public static Future<Void> mount(Vertx vertx, Router router, Services services) {
    return ApiDocs.mount(vertx, router)
        .compose(yaml -> ContractLoader.load(vertx, yaml))
        .map(contract -> {
          router.route(AdminPaths.BASE + "/*").subRouter(operations(vertx, contract, services));
          return null;
        });
  }

  private static Router operations(Vertx vertx, OpenAPIContract contract, Services services) {
    AdminAudit audit = new AdminAudit(services.pool());
    UserHandlers users = new UserHandlers(new UserQueries(services.pool()), audit);
    SessionRevocation sessions = new SessionRevocation(new UserQueries(services.pool()), services.sessions(),
        services.userKeys(), services.identityProviders());
    StatsOverview stats = new StatsOverview(services.pool());
    ManagedDirectories stored = new ManagedDirectories(services.pool(), services.secrets());
    DirectoryHandlers directories = new DirectoryHandlers(stored, audit, services.events());
    DirectoryProbes probes = new DirectoryProbes(vertx, stored, services.configuredDirectories());
    Map<String, Handler<RoutingContext>> handlers = Map.ofEntries(
        Map.entry("listUsers", users::list),
        Map.entry("getUser", users::get),
        Map.entry("createUser", users::create),
        Map.entry("patchUser", users::patch),
        Map.entry("revokeUserSessions", sessions::revokeAll),
        Map.entry("statsOverview", stats::handle),
        Map.entry("listDirectories", directories::list),
        Map.entry("getDirectory", directories::get),
        Map.entry("createDirectory", directories::create),
        Map.entry("replaceDirectory", directories::replace),
        Map.entry("deleteDirectory", directories::delete),
        Map.entry("testDirectory", probes::test),
        Map.entry("directoryHealth", probes::health));
    RouterBuilder builder = RouterBuilder.create(vertx, contract, new DecodedOnceExtractor())
        .rootHandler((PlatformHandler) RequestIds::assign)
        .rootHandler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .rootHandler(new ApiKeyAuthentication(services.keys()));
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      Handler<RoutingContext> handler = handlers.get(operationId);
      if (handler == null) {
        throw new IllegalStateException("the contract's operation " + operationId + " has no handler");
      }
      // Authentication runs before validation, for every path: see ApiKeyAuthentication.
      route.setDoSecurity(false).addHandler(handler);
    }
    Router api = builder.createRouter();
    api.route().failureHandler(Problems::handle);
    api.errorHandler(404, Problems::handle);
    api.errorHandler(405, Problems::handle);
    api.errorHandler(500, Problems::handle);
    return api;
  }
}
