package io.authgate.admin.api;

import io.authgate.admin.directories.DirectoryHandlers;
import io.authgate.admin.directories.DirectoryProbes;
import io.authgate.admin.docs.ApiDocs;
import io.authgate.admin.jobs.JobHandlers;
import io.authgate.admin.keys.ApiKeyHandlers;
import io.authgate.core.jobs.JobStore;
import io.authgate.core.apikeys.ApiKeys;
import io.authgate.admin.sessions.SessionRevocation;
import io.authgate.admin.stats.StatsOverview;
import io.authgate.admin.users.UserHandlers;
import io.authgate.admin.audit.AuditHandlers;
import io.authgate.admin.lifecycle.LifecycleHandlers;
import io.authgate.core.config.AdminConfig;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.lifecycle.AccountKeys;
import io.authgate.core.lifecycle.Lifecycle;
import io.authgate.core.lifecycle.LifecycleEffects;
import io.authgate.core.runtime.Accounts;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.store.ManagedDirectories;
import io.authgate.admin.idps.IdpHandlers;
import io.authgate.admin.idps.SpKeyHandlers;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.idps.SpKeyStore;
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
   * @param accounts the process's sessions, credential cache, user keys and blocked accounts
   * @param broadcaster tells every process of changes
   * @param admin the admin settings (offboarding delays)
   * @param identityProviders the ids of the configured SAML identity providers
   * @param cookieName the gateway's session cookie, which admins signed in at the gateway present
   * @param secrets seals and opens the secrets the store keeps (directory bind passwords, SAML SP private
   *     keys); empty when a real store has no {@code store.masterKey}
   * @param configuredDirectories this process's configured directories, which the directory probe may test
   * @param spKeysFromFiles whether configuration names the SAML SP's key files ({@code saml.signingKey})
   */
  public record Services(Pool pool, ApiKeyAuthenticator keys, Accounts accounts, Broadcaster broadcaster,
                         AdminConfig admin, List<String> identityProviders, String cookieName,
                         Optional<SecretBox> secrets, List<DirectoryConfig> configuredDirectories,
                         boolean spKeysFromFiles) {
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
    UserQueries userQueries = new UserQueries(services.pool());
    IdentityProviders managedIdps = new IdentityProviders(services.pool());
    AccountKeys accountKeys = new AccountKeys(services.accounts().verifier(),
        AccountKeys.configuredAndStored(services.identityProviders(), managedIdps));
    SessionRevocation sessions = new SessionRevocation(userQueries, services.accounts(), accountKeys, audit);
    LifecycleHandlers lifecycle = new LifecycleHandlers(
        new Lifecycle(userQueries, services.admin().deprovisionAfter(), services.admin().anonymiseAfter()),
        new LifecycleEffects(services.accounts(), services.broadcaster(), accountKeys), audit);
    AuditHandlers auditTrail = new AuditHandlers(audit.log());
    StatsOverview stats = new StatsOverview(services.pool());
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
    handlers.put("listUsers", users::list);
    handlers.put("getUser", users::get);
    handlers.put("createUser", users::create);
    handlers.put("patchUser", users::patch);
    handlers.put("transitionUser", lifecycle::transition);
    handlers.put("offboardUser", lifecycle::offboard);
    handlers.put("listUserSessions", sessions::list);
    handlers.put("revokeUserSessions", sessions::revokeAll);
    handlers.put("revokeUserSession", sessions::revokeOne);
    handlers.put("listAudit", auditTrail::list);
    handlers.put("verifyAudit", auditTrail::verify);
    handlers.put("statsOverview", stats::handle);
    ApiKeyHandlers apiKeys = new ApiKeyHandlers(new ApiKeys(services.pool()), audit);
    handlers.put("listApiKeys", apiKeys::list);
    handlers.put("createApiKey", apiKeys::create);
    handlers.put("revokeApiKey", apiKeys::revoke);
    ManagedDirectories stored = new ManagedDirectories(services.pool(), services.secrets());
    DirectoryHandlers directories = new DirectoryHandlers(stored, audit, services.broadcaster());
    DirectoryProbes probes = new DirectoryProbes(vertx, stored, services.configuredDirectories());
    handlers.put("listDirectories", directories::list);
    handlers.put("getDirectory", directories::get);
    handlers.put("createDirectory", directories::create);
    handlers.put("replaceDirectory", directories::replace);
    handlers.put("deleteDirectory", directories::delete);
    handlers.put("testDirectory", probes::test);
    handlers.put("directoryHealth", probes::health);
    JobHandlers jobs = new JobHandlers(new JobStore(services.pool()), stored, audit);
    handlers.put("syncDirectory", jobs::sync);
    handlers.put("listJobs", jobs::list);
    handlers.put("getJob", jobs::get);
    handlers.put("cancelJob", jobs::cancel);
    IdpHandlers idps = new IdpHandlers(vertx, managedIdps, audit, services.broadcaster(),
        services.identityProviders());
    SpKeyHandlers spKeys = new SpKeyHandlers(services.pool(),
        services.secrets().map(box -> new SpKeyStore(services.pool(), box)), audit, services.broadcaster(),
        services.spKeysFromFiles());
    handlers.put("listIdentityProviders", idps::list);
    handlers.put("getIdentityProvider", idps::get);
    handlers.put("createIdentityProvider", idps::create);
    handlers.put("patchIdentityProvider", idps::patch);
    handlers.put("deleteIdentityProvider", idps::delete);
    handlers.put("importIdentityProviderMetadata", idps::importMetadata);
    handlers.put("listSpKeys", spKeys::list);
    handlers.put("replaceSpKey", spKeys::replace);
    RouterBuilder builder = RouterBuilder.create(vertx, contract, new DecodedOnceExtractor())
        .rootHandler((PlatformHandler) RequestIds::assign)
        .rootHandler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .rootHandler(new ApiKeyAuthentication(services.keys(),
            new AdminSessions(services.accounts(), services.admin().groups()), services.cookieName()));
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
