package io.authgate.gateway;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.directory.Directory;
import io.authgate.core.directory.DirectoryRouter;
import io.authgate.core.directory.GuardedDirectory;
import io.authgate.core.directory.ldap.LdapDirectory;
import io.authgate.core.regulation.LocalRegulator;
import io.authgate.core.regulation.RedisRegulator;
import io.authgate.core.regulation.Regulator;
import io.authgate.core.runtime.Accounts;
import io.authgate.core.runtime.Platform;
import io.authgate.core.session.SessionStore;
import io.authgate.core.store.ManagedDirectories;
import io.authgate.gateway.auth.AuthService;
import io.authgate.gateway.directories.LiveDirectories;
import io.authgate.gateway.http.ClientAddresses;
import io.authgate.gateway.portal.Portal;
import io.authgate.gateway.saml.web.SamlWeb;
import io.authgate.gateway.session.SessionCookies;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every gateway verticle instance of a process shares: the directories behind their
 * breakers, the credential cache, regulation, sessions and the authentication path. Built once per process.
 * Thread-safe.
 */
public final class GatewayServices {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServices.class);

  private final Platform platform;
  private final List<Directory> directories;
  private final LiveDirectories live;
  private final AuthService auth;
  private final ClientAddresses addresses;
  private final SessionStore sessions;
  private final SessionCookies cookies;
  private final Portal portal;
  private final byte[] csrfKey;
  private SamlWeb saml;

  private GatewayServices(Platform platform, List<Directory> directories, LiveDirectories live, AuthService auth,
                          SessionStore sessions, byte[] csrfKey) {
    this.platform = platform;
    this.directories = directories;
    this.live = live;
    this.auth = auth;
    this.sessions = sessions;
    this.csrfKey = csrfKey;
    this.addresses = new ClientAddresses(platform.config().http().trustedProxies());
    this.cookies = new SessionCookies(platform.config().session());
    this.portal = new Portal(platform.config());
  }

  /**
   * Opens every configured directory and, with a store, those managed through the admin API (kept
   * up to date by {@link LiveDirectories}), and builds the authentication path. Directory readiness is
   * reported but not critical: a gateway with a directory down still answers from its cache.
   *
   * @param platform the process's shared infrastructure; its configuration must name directories
   * @return the services, once every directory's pools exist
   */
  public static Future<GatewayServices> start(Platform platform) {
    AuthgateConfig config = platform.config();
    List<Future<Directory>> opening = new ArrayList<>();
    config.directories().forEach(d -> opening.add(LdapDirectory.open(platform.vertx(), d, platform.registry(),
        config.http().instances())
        .map(ldap -> (Directory) new GuardedDirectory(platform.vertx(), ldap, platform.registry()))));
    return Future.all(opening).compose(all -> {
      List<Directory> directories = opening.stream().map(Future::result).toList();
      directories.forEach(d -> platform.readiness().register("directory:" + d.name(), false, d::probe));
      return managedStore(platform).compose(store -> {
        LiveDirectories live = new LiveDirectories(platform, directories, store);
        return live.start().map(router -> build(platform, directories, live, router));
      });
    }).compose(services -> SamlWeb.start(platform, services.auth, services.sessions, services.cookies,
        services.portal).map(saml -> {
          services.saml = saml;
          return services;
        }));
  }

  /** @return the store's API-managed directories, under the master key; null without a store */
  private static Future<ManagedDirectories> managedStore(Platform platform) {
    if (platform.store().isEmpty()) {
      return Future.succeededFuture();
    }
    return platform.secrets().box().map(box -> new ManagedDirectories(platform.store().orElseThrow(), box));
  }

  private static GatewayServices build(Platform platform, List<Directory> directories, LiveDirectories live,
                                       DirectoryRouter router) {
    Accounts accounts = platform.accounts();
    AuthService auth = new AuthService(router, accounts, regulator(platform), platform.registry());
    live.onChange(auth::use);
    return new GatewayServices(platform, directories, live, auth, accounts.sessions(),
        accounts.verifier().deriveKey("authgate/csrf"));
  }

  private static Regulator regulator(Platform platform) {
    AuthgateConfig config = platform.config();
    if (!config.regulation().enabled()) {
      return Regulator.disabled();
    }
    return platform.redis()
        .<Regulator>map(redis -> new RedisRegulator(platform.vertx(), redis, config.regulation(), platform.broadcaster(),
            platform.registry()))
        .orElseGet(() -> new LocalRegulator(platform.vertx(), config.regulation(), platform.broadcaster(),
            platform.registry()));
  }

  /** @return the shared infrastructure */
  public Platform platform() {
    return platform;
  }

  /** @return the authentication path */
  public AuthService auth() {
    return auth;
  }

  /** @return finds client addresses behind trusted proxies */
  public ClientAddresses addresses() {
    return addresses;
  }

  /** @return where sessions live */
  public SessionStore sessions() {
    return sessions;
  }

  /** @return reads and writes the session cookie */
  public SessionCookies cookies() {
    return cookies;
  }

  /** @return the login page's whereabouts and redirect rules */
  public Portal portal() {
    return portal;
  }

  /** @return the SAML service provider, or null when no IdP is configured */
  public SamlWeb saml() {
    return saml;
  }

  /** @return the key signing the login form's CSRF tokens */
  public byte[] csrfKey() {
    return csrfKey.clone();
  }

  /** @return the directories served, configured and API-managed */
  public LiveDirectories directories() {
    return live;
  }

  /** Closes the directories' connections (the sessions belong to the platform). */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>(directories.stream().map(Directory::close).toList());
    closing.add(live.close());
    if (saml != null) {
      saml.close();
    }
    return Future.join(closing).mapEmpty();
  }
}
