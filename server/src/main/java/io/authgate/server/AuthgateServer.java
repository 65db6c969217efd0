package io.authgate.server;

import io.authgate.admin.AdminApiVerticle;
import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.Role;
import io.authgate.core.config.SessionConfig;
import io.authgate.core.observability.MeterRegistries;
import io.authgate.core.runtime.Platform;
import io.authgate.core.apikeys.ApiKeys;
import io.authgate.core.apikeys.IssuedApiKey;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.store.DirectoryRecords;
import io.authgate.sync.lifecycle.OffboardingVerticle;
import io.authgate.core.store.Postgres;
import io.authgate.gateway.GatewayServices;
import io.authgate.gateway.GatewayVerticle;
import io.authgate.server.embedded.EmbeddedDirectory;
import io.authgate.server.embedded.EmbeddedStore;
import io.authgate.sync.SyncWorker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authgate process: the embedded directory and store when configuration names none, the
 * migrated store, Vert.x with Micrometer, and the roles' verticles. Started and stopped from the
 * main thread.
 */
public final class AuthgateServer {
  private static final Logger LOG = LoggerFactory.getLogger(AuthgateServer.class);
  private static final long START_TIMEOUT_SECONDS = 60;

  private final List<AutoCloseable> embedded = new ArrayList<>();
  /** The deployments that listen for HTTP: the gateway's and the admin API's. */
  private final List<String> listeners = new ArrayList<>();
  private AuthgateConfig config;
  private EmbeddedDirectory embeddedDirectory;
  private EmbeddedStore embeddedStore;
  private IssuedApiKey bootstrapKey;
  private Vertx vertx;
  private Pool pool;
  private Platform platform;
  private GatewayServices gateway;
  private SyncWorker syncWorker;

  private AuthgateServer() {}

  /**
   * Starts everything the configuration asks for; on failure, stops what had started and rethrows.
   *
   * @param configuration the validated configuration
   * @return the running server
   */
  public static AuthgateServer start(AuthgateConfig configuration) throws Exception {
    AuthgateServer server = new AuthgateServer();
    try {
      server.boot(configuration);
      return server;
    } catch (Exception | Error e) {
      server.stop();
      throw e;
    }
  }

  private void boot(AuthgateConfig configuration) throws Exception {
    config = configuration;
    if (config.usesEmbeddedDirectory()) {
      embeddedDirectory = EmbeddedDirectory.start(config.embedded().ldapPort());
      embedded.add(embeddedDirectory);
      config = config.withDirectories(List.of(embeddedDirectory.directoryConfig()));
      // The demo serves plain HTTP: a Secure cookie would never come back.
      SessionConfig session = config.session();
      config = config.withSession(new SessionConfig(session.idleTimeout(), session.absoluteTimeout(),
          session.cookieName(), session.cookieDomain(), false));
    }
    String storeUri = config.postgres().url().orElse(null);
    String store = storeUri == null ? "embedded PostgreSQL (embedded.dataDir)" : "postgres.url";
    if (storeUri == null) {
      embeddedStore = step(store, () -> EmbeddedStore.start(config.embedded().dataDir(),
          config.embedded().postgresPort()));
      embedded.add(embeddedStore);
      storeUri = embeddedStore.uri();
    }
    PgConnectOptions storeOptions = Postgres.connectOptions(storeUri);
    int migrations = step(store, () -> Postgres.migrate(storeOptions));
    LOG.atInfo().addKeyValue("event", "store.migrated").addKeyValue("applied", migrations).log("store schema is current");

    PrometheusMeterRegistry registry = MeterRegistries.prometheus();
    vertx = Vertx.builder()
        .with(new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(MeterRegistries.vertxMetricsOptions()))
        .withMetrics(MeterRegistries.vertxMetrics(registry))
        .build();
    LOG.atInfo().addKeyValue("event", "vertx.started").addKeyValue("nativeTransport", vertx.isNativeTransportEnabled())
        .log("network transport: {}", vertx.isNativeTransportEnabled() ? "native" : "Java NIO");
    pool = Postgres.pool(vertx, storeOptions, config.postgres().poolSize(), config.postgres().queryTimeout());
    step(store, () -> await(new DirectoryRecords(pool).recordConfigured(config.directories())));
    step(store, () -> await(new IdentityProviders(pool).recordConfigured(config.saml().idps())));
    platform = step("redis.url", () -> await(Platform.start(vertx, config, registry, Optional.of(pool))));

    if (config.roles().contains(Role.GATEWAY)) {
      gateway = step("directories", () -> await(GatewayServices.start(platform)));
      listeners.add(step("http.port " + config.http().port(), () -> await(vertx.deployVerticle(
          () -> new GatewayVerticle(gateway), new DeploymentOptions().setInstances(config.http().instances())))));
    }
    if (config.roles().contains(Role.ADMIN_API)) {
      listeners.add(step("http.adminPort " + config.http().adminPort(),
          () -> await(vertx.deployVerticle(new AdminApiVerticle(platform)))));
    }
    if (config.roles().contains(Role.SYNC_WORKER)) {
      syncWorker = step("sync", () -> await(SyncWorker.start(platform, storeOptions)));
      step("sync", () -> await(vertx.deployVerticle(new OffboardingVerticle(platform, pool))));
    }
    if (config.roles().contains(Role.ADMIN_API)) {
      // Last: a generated key is shown once, in the banner, so nothing that could still fail (or
      // be cut short by Ctrl-C) may come between storing its hash and returning it.
      bootstrapKey = step("admin.bootstrapKey",
          () -> await(new ApiKeys(pool).ensureBootstrapKey(config.admin().bootstrapKey()))).orElse(null);
    }
  }

  /** @return the configuration in effect, with the embedded directory filled in */
  public AuthgateConfig config() {
    return config;
  }

  /** @return the embedded demo directory, when running one */
  public Optional<EmbeddedDirectory> embeddedDirectory() {
    return Optional.ofNullable(embeddedDirectory);
  }

  /**
   * @return the admin API key generated at this start (the first start of a store without
   *     {@code admin.bootstrapKey} configured), to be shown once; empty otherwise
   */
  public Optional<IssuedApiKey> generatedBootstrapKey() {
    return Optional.ofNullable(bootstrapKey);
  }

  /** @return the embedded store, when running one */
  public Optional<EmbeddedStore> embeddedStore() {
    return Optional.ofNullable(embeddedStore);
  }

  /**
   * Stops the listeners first, letting the requests in flight finish (within
   * {@code http.shutdownTimeout}) while the directories, the cache and the store still serve them;
   * then the roles, then Vert.x, then the embedded services. Safe to call more than once.
   */
  public synchronized void stop() {
    try {
      if (vertx != null) {
        Future<Void> closing = Future.succeededFuture();
        if (!listeners.isEmpty()) {
          LOG.atInfo().addKeyValue("event", "http.draining")
              .addKeyValue("timeoutMillis", config.http().shutdownTimeout().toMillis())
              .log("taking no new connections; finishing the requests in flight");
          // Like every step below, a failure here does not stop the next ones (eventually), and
          // reaches the warning logged after the last.
          closing = Future.join(listeners.stream().map(vertx::undeploy).toList()).mapEmpty();
        }
        if (syncWorker != null) {
          closing = closing.eventually(syncWorker::close);
        }
        if (gateway != null) {
          closing = closing.eventually(gateway::close);
        }
        if (platform != null) {
          closing = closing.eventually(platform::close);
        }
        if (pool != null) {
          closing = closing.eventually(pool::close);
        }
        closing.eventually(vertx::close).await(config.http().shutdownTimeout().toSeconds() + 30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("stopping took too long or failed: {}", e.toString());
    } finally {
      vertx = null;
      for (int i = embedded.size() - 1; i >= 0; i--) {
        try {
          embedded.get(i).close();
        } catch (Exception e) {
          LOG.warn("stopping an embedded service failed: {}", e.toString());
        }
      }
      embedded.clear();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** One start-up step that may fail. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws Exception;
  }

  /** Runs a step; a failure becomes a {@link StartFailure} naming {@code what}. */
  private static <T> T step(String what, Step<T> step) throws StartFailure {
    try {
      return step.run();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new StartFailure(what, new IllegalStateException("no answer within " + START_TIMEOUT_SECONDS + " s"));
    } catch (Exception e) {
      throw new StartFailure(what, e);
    }
  }
}
