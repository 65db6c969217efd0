package io.authgate.admin.api;

import io.authgate.admin.docs.ApiDocs;
import io.authgate.admin.idps.IdpHandlers;
import io.authgate.admin.idps.SpKeyHandlers;
import io.authgate.admin.sessions.SessionRevocation;
import io.authgate.admin.stats.StatsOverview;
import io.authgate.admin.users.UserHandlers;
import io.authgate.core.cache.CredentialVerifier;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.idps.SpKeyStore;
import io.authgate.core.session.SessionStore;
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
import java.util.HashMap;
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
   * @param broadcaster tells every gateway process about changes
   * @param secrets seals the secrets kept in the store (SAML SP private keys); empty when a real
   *     store has no {@code store.masterKey}
   * @param spKeysFromFiles whether configuration names the SAML SP's key files ({@code saml.signingKey})
   */
  public record Services(Pool pool, ApiKeyAuthenticator keys, Optional<SessionStore> sessions,
                         Optional<CredentialVerifier> userKeys, List<String> identityProviders,
                         Broadcaster broadcaster, Optional<SecretBox> secrets, boolean spKeysFromFiles) {
    /** Copies the list. */
    public Services {
      identityProviders = List.copyOf(identityProviders);
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
        services.userKeys(), services.identityProviders(), new IdentityProviders(services.pool()));
    StatsOverview stats = new StatsOverview(services.pool());
    IdpHandlers idps = new IdpHandlers(vertx, new IdentityProviders(services.pool()), audit, services.broadcaster(),
        services.identityProviders());
    SpKeyHandlers spKeys = new SpKeyHandlers(services.pool(),
        services.secrets().map(box -> new SpKeyStore(services.pool(), box)), audit, services.broadcaster(),
        services.spKeysFromFiles());
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>(Map.of(
        "listUsers", users::list,
        "getUser", users::get,
        "createUser", users::create,
        "patchUser", users::patch,
        "revokeUserSessions", sessions::revokeAll,
        "statsOverview", stats::handle));
    handlers.putAll(Map.of(
        "listIdentityProviders", idps::list,
        "getIdentityProvider", idps::get,
        "createIdentityProvider", idps::create,
        "patchIdentityProvider", idps::patch,
        "deleteIdentityProvider", idps::delete,
        "importIdentityProviderMetadata", idps::importMetadata,
        "listSpKeys", spKeys::list,
        "replaceSpKey", spKeys::replace));
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
