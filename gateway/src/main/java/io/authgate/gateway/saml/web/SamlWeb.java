package io.authgate.gateway.saml.web;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.IdpConfig;
import io.authgate.core.config.SamlConfig;
import io.authgate.core.runtime.Platform;
import io.authgate.core.saml.LocalPendingRequests;
import io.authgate.core.saml.LocalReplayCache;
import io.authgate.core.saml.PendingRequests;
import io.authgate.core.saml.RedisPendingRequests;
import io.authgate.core.saml.RedisReplayCache;
import io.authgate.core.saml.ReplayCache;
import io.authgate.core.session.SessionStore;
import io.authgate.core.store.UserAccounts;
import io.authgate.gateway.auth.AuthService;
import io.authgate.gateway.portal.Portal;
import io.authgate.gateway.saml.IdpRegistry;
import io.authgate.gateway.saml.MetadataSource;
import io.authgate.gateway.saml.SamlEngine;
import io.authgate.gateway.saml.ServiceProvider;
import io.authgate.gateway.saml.SpCredentials;
import io.authgate.gateway.session.SessionCookies;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SAML service provider of one gateway process: built once (OpenSAML, the SP's keys, every
 * IdP's metadata, the request and replay stores, Redis-backed when configured), then mounted on
 * each edge verticle's router. Present only when IdPs are configured. Thread-safe.
 */
public final class SamlWeb {
  private static final Logger LOG = LoggerFactory.getLogger(SamlWeb.class);
  /** Room for the form's other fields and encoding around the SAMLResponse. */
  private static final int FORM_OVERHEAD_BYTES = 16 * 1024;

  private final SamlEngine engine;
  private final String metadata;
  private final List<MetadataSource> sources;
  private final SamlLoginHandler login;
  private final AcsHandler acs;
  private final SamlLogoutHandlers logout;
  private final int maxResponseBytes;
  private final WebClient client;

  private SamlWeb(SamlEngine engine, String metadata, List<MetadataSource> sources, SamlLoginHandler login, AcsHandler acs,
                  SamlLogoutHandlers logout, int maxResponseBytes, WebClient client) {
    this.engine = engine;
    this.metadata = metadata;
    this.sources = sources;
    this.login = login;
    this.acs = acs;
    this.logout = logout;
    this.maxResponseBytes = maxResponseBytes;
    this.client = client;
  }

  /**
   * Builds the SP when {@code saml.idps} is not empty. The SP's keys come from configuration, else
   * are generated once and kept under {@code embedded.dataDir}; accounts live in the store, which is
   * then required.
   *
   * @return the SP, or null when no IdP is configured; failed when an IdP's metadata cannot be loaded
   */
  public static Future<SamlWeb> start(Platform platform, AuthService auth, SessionStore sessions,
                                      SessionCookies cookies, Portal portal) {
    AuthgateConfig config = platform.config();
    SamlConfig saml = config.saml();
    if (saml.idps().isEmpty()) {
      return Future.succeededFuture();
    }
    if (platform.store().isEmpty()) {
      return Future.failedFuture(new IllegalStateException(
          "saml.idps needs the store (postgres.url, or the embedded default) for the accounts of SAML users"));
    }
    var vertx = platform.vertx();
    IdpRegistry registry = new IdpRegistry();
    WebClient client = saml.idps().stream().anyMatch(i -> i.metadataUrl().isPresent()) ? WebClient.create(vertx) : null;
    return vertx.executeBlocking(() -> SpCredentials.fromConfigOrDirectory(saml, config.embedded().dataDir()), false)
        .compose(credentials -> {
          SamlEngine engine = new SamlEngine(vertx, ServiceProvider.of(saml, config.samlBaseUrl(), credentials),
              registry);
          return engine.initialize().compose(v -> {
            List<Future<MetadataSource>> loading = new ArrayList<>();
            for (IdpConfig idp : saml.idps()) {
              loading.add(MetadataSource.start(vertx, idp, registry, client));
            }
            return Future.all(loading).compose(all -> engine.metadata()).map(metadata -> {
              List<MetadataSource> sources = loading.stream().map(Future::result).toList();
              PendingRequests pending = platform.redis().<PendingRequests>map(RedisPendingRequests::new)
                  .orElseGet(LocalPendingRequests::new);
              ReplayCache replay = platform.redis()
                  .<ReplayCache>map(redis -> new RedisReplayCache(redis, saml.clockSkew()))
                  .orElseGet(() -> new LocalReplayCache(saml.clockSkew()));
              UserAccounts accounts = new UserAccounts(platform.store().get());
              SamlMeters meters = new SamlMeters(platform.registry(), saml.idps().stream().map(IdpConfig::id).toList());
              boolean secure = config.session().secureCookie();
              LOG.info("SAML service provider {}: {} IdP(s), ACS {}", engine.serviceProvider().entityId(),
                  saml.idps().size(), engine.serviceProvider().acsUrl());
              return new SamlWeb(engine, metadata, sources,
                  new SamlLoginHandler(engine, pending, portal, saml.requestLifetime(), secure),
                  new AcsHandler(engine, pending, replay, new SamlUsers(accounts), auth, cookies, portal, meters,
                      saml.maxResponseBytes()),
                  new SamlLogoutHandlers(engine, pending, sessions, cookies, auth, accounts, portal,
                      saml.requestLifetime()),
                  saml.maxResponseBytes(), client);
            });
          });
        });
  }

  /** Mounts the SAML endpoints on one edge verticle's router. */
  public void mount(Router router) {
    router.get(SamlPaths.METADATA).handler(ctx ->
        ctx.response().putHeader("content-type", SamlPaths.METADATA_TYPE).end(metadata));
    router.get(SamlPaths.LOGIN).handler(login);
    router.post(SamlPaths.ACS)
        .handler(BodyHandler.create(false).setBodyLimit(maxResponseBytes + FORM_OVERHEAD_BYTES))
        .handler(acs);
    router.get(SamlPaths.LOGOUT).handler(logout::logout);
    router.get(SamlPaths.SLO).handler(logout::slo);
  }

  /** @return the engine, for tests and the admin API */
  public SamlEngine engine() {
    return engine;
  }

  /** Stops metadata refreshes. */
  public void close() {
    sources.forEach(MetadataSource::stop);
    if (client != null) {
      client.close();
    }
  }
}
