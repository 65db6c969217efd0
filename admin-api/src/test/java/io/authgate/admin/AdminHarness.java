package io.authgate.admin;

import io.authgate.core.apikeys.ApiKeyRole;
import io.authgate.core.apikeys.ApiKeys;
import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.observability.MeterRegistries;
import io.authgate.core.runtime.Platform;
import io.authgate.core.store.Postgres;
import io.authgate.core.testing.FreePorts;
import io.authgate.core.testing.TestServices;
import io.authgate.core.testing.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.vertx.sqlclient.Tuple;

/**
 * An admin API on a free port over a fresh, migrated database and the test Redis, with three API
 * keys issued by the store, one per role. Closed by {@link #close}. One harness per test class.
 */
final class AdminHarness implements AutoCloseable {
  /** The cache key gateways and this admin API share, so both name users alike. */
  static final String HMAC_KEY = "admin-harness-hmac-key-0123456789abcdef";
  /** The master key sealing the store's secrets (base64 of 32 bytes). */
  static final String MASTER_KEY = "YWRtaW4taGFybmVzcy1tYXN0ZXIta2V5LTAxMjM0NTY=";

  final Vertx vertx;
  final Pool pool;
  final Platform platform;
  final WebClient client;
  final int port;
  final String adminKey;
  final String operatorKey;
  final String auditorKey;

  private AdminHarness(Vertx vertx, Pool pool, Platform platform, int port) {
    ApiKeys keys = new ApiKeys(pool);
    this.adminKey = keys.create("it-admin", ApiKeyRole.ADMIN, null, "test").await().plaintext();
    this.operatorKey = keys.create("it-operator", ApiKeyRole.OPERATOR, null, "test").await().plaintext();
    this.auditorKey = keys.create("it-auditor", ApiKeyRole.AUDITOR, null, "test").await().plaintext();
    this.vertx = vertx;
    this.pool = pool;
    this.platform = platform;
    this.port = port;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  static AdminHarness start() {
    return start(true, "");
  }

  /** @param extraYaml more configuration, appended to the harness's own */
  static AdminHarness start(String extraYaml) {
    return start(true, extraYaml);
  }

  /**
   * @param masterKey whether {@code store.masterKey} is configured; without it the configuration
   *     names the store ({@code postgres.url}), so no master key is generated either
   * @param extraYaml more configuration, appended to the harness's own
   */
  static AdminHarness start(boolean masterKey, String extraYaml) {
    int port = FreePorts.next();
    String database = TestServices.freshDatabase();
    String yaml = """
        roles: [admin-api]
        redis: {url: "%s"}
        cache: {hmacKey: %s}
        """.formatted(TestServices.redisUrl(), HMAC_KEY)
        + (masterKey ? "store: {masterKey: \"" + MASTER_KEY + "\"}\n" : "postgres: {url: \"" + database + "\"}\n")
        + extraYaml;
    AuthgateConfig config;
    try {
      Path file = Files.createTempFile("authgate-admin", ".yaml");
      Files.writeString(file, yaml);
      config = ConfigLoader.withEnvironment(Map.of("AUTHGATE_HTTP_PORT", Integer.toString(FreePorts.next()),
          "AUTHGATE_HTTP_ADMIN_PORT", Integer.toString(port))).load(Optional.of(file));
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PgConnectOptions options = Postgres.connectOptions(database);
    Postgres.migrate(options);
    PrometheusMeterRegistry registry = MeterRegistries.prometheus();
    Vertx vertx = TestVertx.create(registry);
    Pool pool = Postgres.pool(vertx, options, 4, config.postgres().queryTimeout());
    Platform platform = Platform.start(vertx, config, registry, Optional.of(pool)).await();
    vertx.deployVerticle(new AdminApiVerticle(platform)).await();
    return new AdminHarness(vertx, pool, platform, port);
  }

  /** Inserts a directory as configuration would record it. */
  UUID directory(String name) {
    return pool.preparedQuery("INSERT INTO directories (name, kind, urls, base_dn) VALUES ($1, 'openldap', "
        + "'{ldap://x}', 'dc=example,dc=org') RETURNING id").execute(Tuple.of(name)).await().iterator().next()
        .getUUID("id");
  }

  /** Inserts an account the way sync or an import would. */
  UUID insertUser(UUID directory, String username, String email, String displayName, String department,
                  String status, String method) {
    UUID id = pool.preparedQuery("INSERT INTO resources (type, identifier) VALUES ('user', $1) RETURNING id")
        .execute(Tuple.of(username)).await().iterator().next().getUUID("id");
    pool.preparedQuery("INSERT INTO users (resource_id, directory_id, username, email, display_name, department,"
            + " status, provisioning_method) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.from(new Object[] {id, directory, username, email, displayName, department, status, method}))
        .await();
    return id;
  }

  /** @return a request carrying the key as a bearer token */
  HttpRequest<Buffer> request(HttpMethod method, String path, String key) {
    HttpRequest<Buffer> request = client.request(method, path);
    return key == null ? request : request.bearerTokenAuthentication(key);
  }

  @Override
  public void close() {
    client.close();
    platform.close().await();
    pool.close().await();
    vertx.close().await();
  }
}
