package io.authgate.gateway;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.observability.MeterRegistries;
import io.authgate.core.runtime.Platform;
import io.authgate.core.store.Postgres;
import io.authgate.core.testing.FreePorts;
import io.authgate.core.testing.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A running gateway for tests: configuration from YAML (and variables), a real Redis when the
 * configuration names one, two verticle instances on a free port, and a web client aimed at it
 * that does not follow redirects (tests look at them).
 */
public final class GatewayHarness implements AutoCloseable {
  /** The master key of harnesses with a store (base64 of 32 bytes), unless the test gives its own. */
  public static final String MASTER_KEY = "YXV0aGdhdGUtZ2F0ZXdheS1oYXJuZXNzLWtleS0wMDA=";
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Platform platform;
  private final GatewayServices services;
  private final WebClient client;
  private final int port;

  private GatewayHarness(Vertx vertx, PrometheusMeterRegistry registry, Platform platform, GatewayServices services,
                         int port) {
    this.vertx = vertx;
    this.registry = registry;
    this.platform = platform;
    this.services = services;
    this.port = port;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
            .setFollowRedirects(false),
        new PoolOptions().setHttp1MaxSize(64));
  }

  /** @return an {@code Authorization: Basic} value for these credentials */
  public static String basicAuthorization(String username, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param yaml the configuration file's content; {@code http.port} is set to a free port
   * @param env extra variables
   */
  public static GatewayHarness start(String yaml, Map<String, String> env) {
    return start(yaml, env, null);
  }

  /**
   * @param yaml the configuration file's content; {@code http.port} is set to a free port
   * @param env extra variables
   * @param postgresUrl the store, migrated here (a {@code TestServices.freshDatabase()}); null for none
   */
  public static GatewayHarness start(String yaml, Map<String, String> env, String postgresUrl) {
    int port = FreePorts.next();
    Map<String, String> variables = new HashMap<>(env);
    variables.put("AUTHGATE_HTTP_PORT", Integer.toString(port));
    variables.put("AUTHGATE_HTTP_ADMIN_PORT", Integer.toString(FreePorts.next()));
    if (postgresUrl != null) {
      variables.putIfAbsent("AUTHGATE_STORE_MASTER_KEY", MASTER_KEY);
    }
    AuthgateConfig config;
    try {
      Path file = Files.createTempFile("authgate", ".yaml");
      Files.writeString(file, yaml);
      config = ConfigLoader.withEnvironment(variables).load(Optional.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrometheusMeterRegistry registry = MeterRegistries.prometheus();
    Vertx vertx = TestVertx.create(registry);
    Optional<Pool> store = Optional.empty();
    if (postgresUrl != null) {
      PgConnectOptions options = Postgres.connectOptions(postgresUrl);
      Postgres.migrate(options);
      store = Optional.of(Postgres.pool(vertx, options, 4));
    }
    Platform platform = Platform.start(vertx, config, registry, store).await();
    GatewayServices services = GatewayServices.start(platform).await();
    vertx.deployVerticle(() -> new GatewayVerticle(services), new DeploymentOptions().setInstances(2)).await();
    return new GatewayHarness(vertx, registry, platform, services, port);
  }

  /** @return a client for the gateway's port */
  public WebClient client() {
    return client;
  }

  /** @return the gateway's port */
  public int port() {
    return port;
  }

  /** @return the meters the gateway records */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** @return the shared services */
  public GatewayServices services() {
    return services;
  }

  /** @return the Vert.x instance */
  public Vertx vertx() {
    return vertx;
  }

  /** @return successful, refused or failed LDAP binds so far against a directory */
  public double binds(String directory) {
    return ldapOperations(directory, "bind");
  }

  /** @return the searches for a login name's entry so far against a directory */
  public double searches(String directory) {
    return ldapOperations(directory, "search");
  }

  /** @return the logins refused so far for a precise reason ({@code authgate_auth_rejections_total}) */
  public double rejections(String directory, String reason) {
    return registry.get("authgate.auth.rejections").tags("reason", reason, "directory", directory).counter().count();
  }

  private double ldapOperations(String directory, String operation) {
    return registry.find("authgate.ldap.operations").tags("directory", directory, "operation", operation).counters()
        .stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    client.close();
    services.close().await();
    platform.close().await();
    vertx.close().await();
  }
}
