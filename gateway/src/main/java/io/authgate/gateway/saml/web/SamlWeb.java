package io.authgate.gateway.saml.web;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.IdpConfig;
import io.authgate.core.config.SamlConfig;
import io.authgate.core.crypto.MasterKeys;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.events.Addresses;
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
import io.authgate.gateway.http.UrlEncodedForm;
import io.authgate.gateway.portal.Portal;
import io.authgate.gateway.saml.MetadataSource;
import io.authgate.gateway.saml.SamlBootstrap;
import io.authgate.gateway.saml.SamlEngine;
import io.authgate.gateway.session.SessionCookies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SAML service provider of one gateway process: built once (OpenSAML, the SP's keys, every
 * IdP's metadata, the request and replay stores, Redis-backed when configured), then mounted on
 * each edge verticle's router. Present when IdPs are configured or a store with a master key
 * exists (whose API-managed IdPs may come and go). On {@link Addresses#IDPS_CHANGED} (and after the event feed
 * was interrupted) it reloads its keys and IdPs and swaps them in at once, one reload at a time.
 * Thread-safe.
 */
public final class SamlWeb {
  private static final Logger LOG = LoggerFactory.getLogger(SamlWeb.class);
  /** Room for the form's other fields and encoding around the SAMLResponse. */
  private static final int FORM_OVERHEAD_BYTES = 16 * 1024;

  private final Vertx vertx;
  private final SamlEngine engine;
  private final TrustLoader loader;
  private final Portal portal;
  private final SamlLoginHandler login;
  private final AcsHandler acs;
  private final SamlLogoutHandlers logout;
  private final int maxResponseBytes;
  private final WebClient client;
  private final List<MessageConsumer<String>> consumers;
  private volatile String metadata;
  private volatile List<MetadataSource> sources;
  private Future<Void> reloading = Future.succeededFuture();

  private SamlWeb(Platform platform, SamlEngine engine, TrustLoader loader, Portal portal, AuthService auth,
                  SessionStore sessions, SessionCookies cookies, WebClient client, TrustLoader.Loaded loaded,
                  String metadata) {
    AuthgateConfig config = platform.config();
    SamlConfig saml = config.saml();
    this.vertx = platform.vertx();
    this.engine = engine;
    this.loader = loader;
    this.portal = portal;
    this.client = client;
    this.metadata = metadata;
    this.sources = loaded.sources();
    this.maxResponseBytes = saml.maxResponseBytes();
    PendingRequests pending = platform.redis().<PendingRequests>map(RedisPendingRequests::new)
        .orElseGet(LocalPendingRequests::new);
    ReplayCache replay = platform.redis()
        .<ReplayCache>map(redis -> new RedisReplayCache(redis, saml.clockSkew()))
        .orElseGet(() -> new LocalReplayCache(saml.clockSkew()));
    UserAccounts accounts = new UserAccounts(platform.store().get());
    SamlMeters meters = new SamlMeters(platform.registry(), saml.idps().stream().map(IdpConfig::id).toList(),
        id -> engine.registry().byId(id).isPresent());
    this.login = new SamlLoginHandler(engine, pending, portal, saml.requestLifetime(), config.session().secureCookie());
    SamlUsers users = new SamlUsers(accounts, platform.accounts().lastLogins().orElseThrow());
    this.acs = new AcsHandler(engine, pending, replay, users, auth, cookies, portal, meters, saml.maxResponseBytes(),
        saml.maxPendingSignIns());
    this.logout = new SamlLogoutHandlers(engine, pending, sessions, cookies, auth, accounts, portal,
        saml.requestLifetime());
    this.consumers = List.of(
        vertx.eventBus().<String>consumer(Addresses.IDPS_CHANGED, m -> reload()),
        vertx.eventBus().<String>consumer(Addresses.EVENTS_RESYNC, m -> reload()));
  }

  /**
   * Builds the SP when {@code saml.idps} is not empty, or the process has a store with a master key
   * ({@link MasterKeys#forConfig}), so IdPs managed through the admin API can come later. The SP's
   * keys come from configured files, else from the store (sealed under the master key), else are
   * generated once under {@code embedded.dataDir}; accounts live in the store, which is required.
   *
   * @return the SP, or null when no IdP is configured and there is no store with a master key;
   *     failed when a configured IdP's metadata or the SP's keys cannot be loaded
   */
  public static Future<SamlWeb> start(Platform platform, AuthService auth, SessionStore sessions,
                                      SessionCookies cookies, Portal portal) {
    AuthgateConfig config = platform.config();
    if (config.saml().idps().isEmpty() && platform.store().isEmpty()) {
      return Future.succeededFuture();
    }
    if (platform.store().isEmpty()) {
      return Future.failedFuture(new IllegalStateException(
          "saml.idps needs the store (postgres.url, or the embedded default) for the accounts of SAML users"));
    }
    return platform.secrets().box().compose(secrets -> {
      if (config.saml().idps().isEmpty() && secrets.isEmpty()) {
        LOG.info("SAML is off: no identity provider is configured, and those managed through the admin API "
            + "need store.masterKey (the SP's keys are kept in the store, sealed under it)");
        return Future.succeededFuture();
      }
      if (secrets.isEmpty()) {
        LOG.warn("store.masterKey is not set: the SAML SP's keys are kept under {}, not in the store, so gateways "
            + "on other hosts use other keys", config.embedded().dataDir());
      }
      return start(platform, auth, sessions, cookies, portal, secrets);
    });
  }

  private static Future<SamlWeb> start(Platform platform, AuthService auth, SessionStore sessions,
                                       SessionCookies cookies, Portal portal, Optional<SecretBox> secrets) {
    AuthgateConfig config = platform.config();
    Vertx vertx = platform.vertx();
    WebClient client = WebClient.create(vertx);
    return vertx.executeBlocking(() -> {
      SamlBootstrap.initialize();
      return null;
    }, false).compose(v -> {
      TrustLoader loader = new TrustLoader(vertx, config, platform.store(), secrets, client);
      return loader.load(true).compose(loaded -> {
        SamlEngine engine = new SamlEngine(vertx, loaded.sp(), loaded.registry());
        return engine.metadata().map(metadata -> {
          portal.showIdps(loaded.idps());
          LOG.info("SAML service provider {}: {} IdP(s), ACS {}", loaded.sp().entityId(), loaded.idps().size(),
              loaded.sp().acsUrl());
          return new SamlWeb(platform, engine, loader, portal, auth, sessions, cookies, client, loaded, metadata);
        });
      });
    }).onFailure(e -> client.close());
  }

  /** Mounts the SAML endpoints on one edge verticle's router. */
  public void mount(Router router) {
    router.get(SamlPaths.METADATA).handler(ctx ->
        ctx.response().putHeader("content-type", SamlPaths.METADATA_TYPE).end(metadata));
    router.get(SamlPaths.LOGIN).handler(login);
    router.post(SamlPaths.ACS)
        .handler(UrlEncodedForm.reader(maxResponseBytes + FORM_OVERHEAD_BYTES))
        .handler(acs);
    router.get(SamlPaths.LOGOUT).handler(logout::logout);
    router.get(SamlPaths.SLO).handler(logout::slo);
  }

  /**
   * Reads the SP's keys and IdPs again and swaps them in: a new IdP's login works, a deleted or
   * disabled one stops working. A failed reload keeps what was there and is logged.
   *
   * @return completes once this reload (queued after any running one) is done; never fails
   */
  public synchronized Future<Void> reload() {
    reloading = reloading.eventually(() -> loader.load(false)
        .compose(loaded -> {
          List<MetadataSource> previous = sources;
          engine.swap(loaded.sp(), loaded.registry());
          sources = loaded.sources();
          portal.showIdps(loaded.idps());
          previous.forEach(MetadataSource::stop);
          LOG.info("SAML identity providers reloaded: {}", loaded.idps().stream().map(IdpConfig::id).toList());
          return engine.metadata();
        })
        .onSuccess(xml -> metadata = xml)
        .onFailure(e -> LOG.warn("SAML identity providers not reloaded, keeping the previous ones: {}", e.getMessage()))
        .<Void>mapEmpty().recover(e -> Future.succeededFuture()));
    return reloading;
  }

  /** @return the engine, for tests and the admin API */
  public SamlEngine engine() {
    return engine;
  }

  /** Stops metadata refreshes and listening for changes. */
  public void close() {
    consumers.forEach(MessageConsumer::unregister);
    sources.forEach(MetadataSource::stop);
    client.close();
  }
}
