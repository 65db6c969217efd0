package io.authgate.gateway.saml.web;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.IdpConfig;
import io.authgate.core.config.SamlConfig;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.idps.SpKeyStore;
import io.authgate.gateway.saml.IdpRegistry;
import io.authgate.gateway.saml.MetadataSource;
import io.authgate.gateway.saml.ServiceProvider;
import io.authgate.gateway.saml.SpCredentials;
import io.authgate.gateway.saml.StoredSpKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the SP trusts and signs with, each time from scratch: its keys (configured files,
 * else the store's sealed pair, else a pair under the data directory) and its IdPs (configured
 * ones, then the enabled ones managed through the admin API, whose slugs configuration does not
 * use), each IdP's metadata loaded into a new registry. A configured IdP whose metadata cannot be
 * loaded fails the load when {@code strict} (at start); an API-managed one is left out and logged.
 * Thread-safe.
 */
final class TrustLoader {
  private static final Logger LOG = LoggerFactory.getLogger(TrustLoader.class);

  private final Vertx vertx;
  private final AuthgateConfig config;
  private final Optional<IdentityProviders> store;
  private final Optional<SpKeyStore> keys;
  private final WebClient client;

  /**
   * What one load produced. Immutable.
   *
   * @param sp the SP with its keys
   * @param registry the IdPs whose metadata loaded
   * @param sources their metadata sources (URL ones refresh until stopped)
   * @param idps the IdPs offered, in the login page's order
   */
  record Loaded(ServiceProvider sp, IdpRegistry registry, List<MetadataSource> sources, List<IdpConfig> idps) {}

  TrustLoader(Vertx vertx, AuthgateConfig config, Optional<Pool> pool, Optional<SecretBox> secrets, WebClient client) {
    this.vertx = vertx;
    this.config = config;
    this.store = pool.map(IdentityProviders::new);
    this.keys = pool.flatMap(p -> secrets.map(box -> new SpKeyStore(p, box)));
    this.client = client;
  }

  /** @return the SP and its IdPs; failed when the keys cannot be had, or (when strict) a configured IdP cannot */
  Future<Loaded> load(boolean strict) {
    IdpRegistry registry = new IdpRegistry();
    List<MetadataSource> sources = new ArrayList<>();
    List<IdpConfig> offered = new ArrayList<>();
    return credentials().compose(credentials -> {
      ServiceProvider sp = ServiceProvider.of(config.saml(), config.samlBaseUrl(), credentials);
      return loadAll(config.saml().idps(), registry, sources, offered, strict)
          .compose(v -> managed())
          .compose(managed -> loadAll(managed, registry, sources, offered, false))
          .map(v -> new Loaded(sp, registry, List.copyOf(sources), List.copyOf(offered)))
          .onFailure(e -> sources.forEach(MetadataSource::stop));
    });
  }

  private Future<SpCredentials> credentials() {
    SamlConfig saml = config.saml();
    if (saml.signingKey().isEmpty() && keys.isPresent()) {
      return StoredSpKeys.load(vertx, keys.get(), config.embedded().dataDir());
    }
    return vertx.executeBlocking(() -> SpCredentials.fromConfigOrDirectory(saml, config.embedded().dataDir()), false);
  }

  private Future<List<IdpConfig>> managed() {
    Set<String> configured = config.saml().idps().stream().map(IdpConfig::id).collect(Collectors.toSet());
    return store.map(IdentityProviders::managedConfigs).orElse(Future.succeededFuture(List.of()))
        .map(all -> all.stream().filter(idp -> {
          if (configured.contains(idp.id())) {
            LOG.warn("identity provider {} of the store is ignored: configuration defines one of that id", idp.id());
            return false;
          }
          return true;
        }).toList());
  }

  private Future<Void> loadAll(List<IdpConfig> idps, IdpRegistry registry, List<MetadataSource> sources,
                               List<IdpConfig> offered, boolean strict) {
    List<Future<MetadataSource>> loading = idps.stream()
        .map(idp -> MetadataSource.start(vertx, idp, registry, client)).toList();
    return Future.join(loading).transform(done -> {
      Throwable failure = null;
      for (int i = 0; i < idps.size(); i++) {
        Future<MetadataSource> one = loading.get(i);
        if (one.succeeded()) {
          sources.add(one.result());
          offered.add(idps.get(i));
        } else if (strict) {
          failure = failure == null ? one.cause() : failure;
        } else {
          LOG.warn("identity provider {} is not offered: {}", idps.get(i).id(), one.cause().getMessage());
        }
      }
      return failure == null ? Future.succeededFuture() : Future.failedFuture(failure);
    });
  }
}
